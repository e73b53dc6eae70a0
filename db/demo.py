"""Demo data (DESIGN §7): two distribution partners, their merchants and 30 days of traffic.

- `alizes` ("Monétik Alizés"): merchants in Guadeloupe (971) and Martinique (972);
- `ocean` ("Monétik Océan"): merchants in La Réunion (974);
- one user per role in each tenant, and the platform administrator `admin@platform.demo`,
  all with the password `spring-demo`.

Every company lifecycle status, contract, service and terminal state is present, with the
journal (audit events), requests and comments that would have led there, and 30 days of card
transactions ending at `now` on the terminals of live services.

Deterministic: one `random.Random(seed)` draws every value and every id, and every timestamp is
derived from `now`, so two runs with the same `now` and seed write identical rows (but for the
Argon2 password hash, whose salt is random). The whole seed is one database transaction: it
writes everything or nothing. It works as a non-superuser owner under FORCE row-level security:
the transaction starts with the platform's claims (tenants, platform users) and switches
`app.tenant_id` (transaction-local) before writing each tenant's rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import random
import string
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from db import enums as e
from db import models as m
from db.identifiers import make_french_iban, make_siren, make_siret, mask_pan
from db.identifiers import request_id as new_request_id
from db.ids import encode_references
from db.session import Database
from tenancy.passwords import hash_password
from tenancy.principal import platform_claims, tenant_claims
from tenancy.roles import Role

__all__ = [
    "BLOCKED_RESPONSE_CODE",
    "DEMO_PASSWORD",
    "DEMO_SEED",
    "DEMO_TENANTS",
    "DemoAlreadySeeded",
    "DemoSummary",
    "build_demo",
    "demo_present",
    "seed_demo",
]

DEMO_SEED = 20261128
DEMO_PASSWORD = "spring-demo"  # noqa: S105 - the documented demo password
DEMO_TENANTS = ("alizes", "ocean")
PLATFORM_ADMIN_EMAIL = "admin@platform.demo"
#: Days of transaction history, ending at `now`.
TRANSACTION_DAYS = 30
#: ISO 8583 "transaction not permitted to terminal": what a blocked service or a suspended
#: contract answers.
BLOCKED_RESPONSE_CODE = "58"
CHUNK = 5000

UTC = dt.UTC
Row = dict[str, Any]

#: Insert order of the tenant tables (foreign keys first).
_TENANT_TABLES: tuple[type[m.Base], ...] = (
    m.User,
    m.Company,
    m.Shop,
    m.TenantCounter,
    m.RequestDueTime,
    m.Contract,
    m.Request,
    m.RequestComment,
    m.ContractShop,
    m.FeeSchedule,
    m.FeeLine,
    m.Terminal,
    m.TerminalOptions,
    m.Service,
    m.Transaction,
    m.TerminalEvent,
    m.TerminalCommand,
    m.AuditEvent,
    m.DocumentSettings,
    m.DocumentBlob,
    m.Document,
)


class DemoAlreadySeeded(RuntimeError):
    """The demo tenants already exist in this database: seeding again is refused."""


@dataclass(frozen=True)
class DemoSummary:
    """Rows written per table, and how long it took."""

    tenants: int
    platform_users: int
    users: int
    companies: int
    shops: int
    tenant_counters: int
    request_due_times: int
    requests: int
    request_comments: int
    contracts: int
    contract_shops: int
    fee_schedules: int
    fee_lines: int
    terminals: int
    terminal_options: int
    services: int
    transactions: int
    terminal_events: int
    terminal_commands: int
    audit_events: int
    document_settings: int = 0
    document_blobs: int = 0
    documents: int = 0
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "seconds"}


# =========================================================================== static content


@dataclass(frozen=True)
class Region:
    """Where a tenant's merchants are: time zone and telephone prefixes (E.164)."""

    tz: dt.tzinfo
    landline: str
    mobiles: tuple[str, ...]
    #: (bank code, BIC) of banks with branches there.
    banks: tuple[tuple[str, str], ...]


GUADELOUPE = Region(
    tz=dt.timezone(dt.timedelta(hours=-4), "AST"),
    landline="+590590",
    mobiles=("+590690", "+590691"),
    banks=(("11006", "AGRIGPGX"), ("10107", "BREDFRPPXXX"), ("30004", "BNPAFRPPXXX")),
)
MARTINIQUE = Region(
    tz=dt.timezone(dt.timedelta(hours=-4), "AST"),
    landline="+596596",
    mobiles=("+596696", "+596697"),
    banks=(("19806", "AGRIMQMX"), ("10107", "BREDFRPPXXX"), ("30003", "SOGEFRPP")),
)
REUNION = Region(
    tz=dt.timezone(dt.timedelta(hours=4), "RET"),
    landline="+262262",
    mobiles=("+262692", "+262693"),
    banks=(("19906", "AGRIRERX"), ("14889", "BFCORERX"), ("10107", "BREDFRPPXXX")),
)


@dataclass(frozen=True)
class T:
    """A terminal of a shop and the service it runs, with what happened to it.

    `model` is a PAX model (A920Pro, A77, IM30, S920) or, for SoftPOS, a phone model.
    """

    model: str
    softpos: bool = False
    #: Service blocked `days` ago, until `until_days` from now (None: no end), with a reason.
    block: tuple[float, float | None, str] | None = None
    #: Service blocked `days` ago for `hours`, then unblocked by itself.
    past_block: tuple[float, float, str] | None = None
    #: Terminal blocked `days` ago with a reason (lost, stolen...).
    terminal_block: tuple[float, str] | None = None
    #: Last heartbeat this many hours ago (the terminal is OFFLINE).
    stale_hours: float | None = None
    #: The latest options version is not acknowledged by the device yet.
    options_pending: bool = False
    #: Service deactivated this many days ago (the device returned).
    deactivated_days: float | None = None
    #: Relative traffic of this terminal (1.0 = typical for the shop's activity).
    volume: float = 1.0


@dataclass(frozen=True)
class S:
    """A shop (magasin)."""

    name: str
    line1: str
    postal_code: str
    city: str
    terminals: tuple[T, ...] = ()
    line2: str | None = None


@dataclass(frozen=True)
class C:
    """A company (société) and its story."""

    legal_name: str
    trade_name: str | None
    legal_form: str
    mcc: str
    status: e.CompanyStatus
    contact: str
    contact_email: str
    region: Region
    line1: str
    postal_code: str
    city: str
    shops: tuple[S, ...]
    age_days: int
    seller: str = "seller"
    #: Lowered fees after a FEE_CHANGE request, this many days ago.
    fee_change_days: float | None = None
    #: For APPROVED companies: the contract is SIGNED (services pending) rather than DRAFT.
    signed: bool = True
    #: A second contract being drafted for a new shop (ACTIVE companies).
    draft_extension: S | None = None
    #: SUSPENDED: contract suspended this many days ago, with the reason.
    suspended: tuple[float, str] | None = None
    #: CLOSED: contract terminated this many days ago.
    closed_days: float | None = None
    #: REJECTED: the reason.
    rejection: str | None = None


@dataclass(frozen=True)
class U:
    key: str
    email: str
    full_name: str
    role: Role
    phone: str | None = None
    status: e.UserStatus = e.UserStatus.ACTIVE


@dataclass(frozen=True)
class TenantSpec:
    slug: str
    name: str
    age_days: int
    tid_letter: str
    users: tuple[U, ...]
    companies: tuple[C, ...]
    #: The partner's IANA zone (`Tenant.timeZone`).
    time_zone: str = "Europe/Paris"


CS = e.CompanyStatus

ALIZES = TenantSpec(
    slug="alizes",
    name="Monétik Alizés",
    time_zone="America/Guadeloupe",
    age_days=430,
    tid_letter="A",
    users=(
        U("supervisor", "supervisor@alizes.demo", "Nathalie Bellance", Role.SUPERVISOR),
        U("seller", "seller@alizes.demo", "Joël Théodore", Role.SELLER),
        U("seller2", "ludovic.pierre-charles@alizes.demo", "Ludovic Pierre-Charles", Role.SELLER),
        U("hotline", "hotline@alizes.demo", "Sandrine Ursulet", Role.HOTLINE),
        U("technician", "technician@alizes.demo", "Rudy Bapté", Role.TECHNICIAN),
        U("service", "service@alizes.demo", "Passerelle monétique Alizés", Role.SERVICE),
        U(
            "former",
            "cedric.monlouis@alizes.demo",
            "Cédric Monlouis",
            Role.HOTLINE,
            status=e.UserStatus.DEACTIVATED,
        ),
    ),
    companies=(
        C(
            "Ti Kaz La",
            "Ti Kaz La – Restaurant créole",
            "SARL",
            "5812",
            CS.ACTIVE,
            "Murielle Bélair",
            "contact@tikazla.gp",
            GUADELOUPE,
            "12 boulevard de la Marina",
            "97190",
            "Le Gosier",
            (
                S(
                    "Ti Kaz La Gosier",
                    "12 boulevard de la Marina",
                    "97190",
                    "Le Gosier",
                    (T("A920Pro", options_pending=True), T("Samsung Galaxy A54 5G", softpos=True)),
                ),
                S(
                    "Ti Kaz La Sainte-Anne",
                    "Rue de la Plage, le Bourg",
                    "97180",
                    "Sainte-Anne",
                    (
                        T(
                            "A77",
                            block=(2.3, None, "Taux de refus anormal : contrôle anti-fraude"),
                        ),
                    ),
                ),
            ),
            age_days=385,
            draft_extension=S(
                "Ti Kaz La Trois-Îlets",
                "Pointe du Bout, marina",
                "97229",
                "Les Trois-Îlets",
                (T("A77"),),
            ),
        ),
        C(
            "Le Panier Antillais",
            "Le Panier Antillais",
            "SAS",
            "5411",
            CS.ACTIVE,
            "Frantz Lubin",
            "direction@panier-antillais.fr",
            GUADELOUPE,
            "Rue Henri Becquerel, ZI de Jarry",
            "97122",
            "Baie-Mahault",
            (
                S(
                    "Le Panier Antillais Jarry",
                    "Rue Henri Becquerel, ZI de Jarry",
                    "97122",
                    "Baie-Mahault",
                    (
                        T("A920Pro"),
                        T("A920Pro", volume=0.9),
                        T(
                            "S920",
                            terminal_block=(4.2, "Terminal déclaré perdu par le commerçant"),
                            volume=0.7,
                        ),
                    ),
                ),
                S(
                    "Le Panier Antillais Pointe-à-Pitre",
                    "24 rue Frébault",
                    "97110",
                    "Pointe-à-Pitre",
                    (T("A920Pro"), T("A77", volume=0.6)),
                ),
                S(
                    "Le Panier Antillais Les Abymes",
                    "Centre commercial Milénis, Raizet",
                    "97139",
                    "Les Abymes",
                    (T("A920Pro", volume=1.2),),
                ),
            ),
            age_days=410,
            fee_change_days=120,
        ),
        C(
            "Pharmacie de la Darse",
            None,
            "SELARL",
            "5912",
            CS.ACTIVE,
            "Caroline Jean-Baptiste",
            "pharmacie.darse@orange.fr",
            GUADELOUPE,
            "5 place de la Victoire",
            "97110",
            "Pointe-à-Pitre",
            (
                S(
                    "Pharmacie de la Darse",
                    "5 place de la Victoire",
                    "97110",
                    "Pointe-à-Pitre",
                    (T("A920Pro"), T("A920Pro", stale_hours=3.2, volume=0.8)),
                ),
            ),
            age_days=300,
        ),
        C(
            "Karukera Carburants",
            "Station Karukera",
            "SA",
            "5541",
            CS.SUSPENDED,
            "Olivier Démocrite",
            "station.karukera@wanadoo.fr",
            GUADELOUPE,
            "RN1, Destrellan",
            "97122",
            "Baie-Mahault",
            (
                S(
                    "Station Karukera Destrellan",
                    "RN1, Destrellan",
                    "97122",
                    "Baie-Mahault",
                    (T("IM30"), T("A920Pro")),
                ),
            ),
            age_days=250,
            suspended=(6.4, "Suspicion de fraude sur l'automate de distribution : enquête"),
        ),
        C(
            "Caraïbes Numérique",
            "Kara Num'",
            "SAS",
            "5732",
            CS.APPROVED,
            "Steeve Placide",
            "steeve.placide@karanum.gp",
            GUADELOUPE,
            "Immeuble Le Rond-Point, Grand-Camp",
            "97139",
            "Les Abymes",
            (
                S(
                    "Kara Num' Destreland",
                    "Centre commercial Destreland",
                    "97122",
                    "Baie-Mahault",
                    (T("A920Pro"), T("Google Pixel 7a", softpos=True)),
                ),
            ),
            age_days=24,
            signed=True,
        ),
        C(
            "Résidence Anse Caraïbe",
            "Hôtel Anse Caraïbe",
            "SAS",
            "7011",
            CS.ACTIVE,
            "Ghislaine Nicolas",
            "reservation@anse-caraibe.com",
            GUADELOUPE,
            "Route de Grande-Anse",
            "97126",
            "Deshaies",
            (
                S(
                    "Hôtel Anse Caraïbe",
                    "Route de Grande-Anse",
                    "97126",
                    "Deshaies",
                    (T("A920Pro"), T("Apple iPhone 14", softpos=True)),
                ),
            ),
            age_days=330,
        ),
        C(
            "Boulangerie Pain Doux",
            "Pain Doux",
            "EURL",
            "5462",
            CS.ACTIVE,
            "Éric Rosine",
            "paindoux972@gmail.com",
            MARTINIQUE,
            "18 rue Victor Hugo",
            "97200",
            "Fort-de-France",
            (
                S(
                    "Pain Doux Fort-de-France",
                    "18 rue Victor Hugo",
                    "97200",
                    "Fort-de-France",
                    (T("A77"),),
                ),
                S(
                    "Pain Doux Le Lamentin",
                    "ZAC de Places d'Armes",
                    "97232",
                    "Le Lamentin",
                    (
                        T("A77"),
                        T(
                            "Samsung Galaxy A34 5G",
                            softpos=True,
                            block=(1.1, 2.0, "Impayé de loyer : blocage temporaire"),
                        ),
                    ),
                ),
            ),
            age_days=270,
            seller="seller2",
            fee_change_days=75,
        ),
        C(
            "Saveurs Madinina",
            "Saveurs Madinina – Rhums et épices",
            "SARL",
            "5999",
            CS.EVALUATION,
            "Ketty Clémenté",
            "ketty@saveurs-madinina.com",
            MARTINIQUE,
            "Village de la Poterie",
            "97229",
            "Les Trois-Îlets",
            (S("Saveurs Madinina", "Village de la Poterie", "97229", "Les Trois-Îlets"),),
            age_days=9,
            seller="seller2",
        ),
        C(
            "Jean-Marc Séraphin",
            "Kréyol Kafé",
            "EI",
            "5814",
            CS.PROSPECT,
            "Jean-Marc Séraphin",
            "kreyolkafe@gmail.com",
            MARTINIQUE,
            "Boulevard du Front de mer",
            "97231",
            "Le Robert",
            (S("Kréyol Kafé", "Boulevard du Front de mer", "97231", "Le Robert"),),
            age_days=3,
            seller="seller2",
        ),
        C(
            "Marina Sud Nautique",
            "Marina Sud Location",
            "SAS",
            "4457",
            CS.REJECTED,
            "Patrice Larcher",
            "p.larcher@marinasud.mq",
            MARTINIQUE,
            "Port de plaisance, bassin tortue",
            "97290",
            "Le Marin",
            (S("Marina Sud Location", "Port de plaisance, ponton C", "97290", "Le Marin"),),
            age_days=48,
            seller="seller2",
            rejection="Location saisonnière à fort risque d'impayés ; garanties insuffisantes.",
        ),
        C(
            "Ti Punch Beach",
            "Ti Punch Beach Bar",
            "EURL",
            "5813",
            CS.CLOSED,
            "Daniel Cidalise",
            "tipunchbeach@orange.fr",
            MARTINIQUE,
            "Plage des Salines",
            "97227",
            "Sainte-Anne",
            (S("Ti Punch Beach Bar", "Plage des Salines", "97227", "Sainte-Anne", (T("A77"),)),),
            age_days=400,
            seller="seller2",
            closed_days=70,
        ),
        C(
            "Optique Caraïbe",
            "Optique Caraïbe",
            "SARL",
            "8043",
            CS.ACTIVE,
            "Lucie Marie-Sainte",
            "optique.caraibe@gmail.com",
            MARTINIQUE,
            "Centre commercial La Galleria",
            "97232",
            "Le Lamentin",
            (
                S(
                    "Optique Caraïbe La Galleria",
                    "Centre commercial La Galleria",
                    "97232",
                    "Le Lamentin",
                    (T("A920Pro"), T("Samsung Galaxy S23", softpos=True)),
                ),
            ),
            age_days=150,
            seller="seller2",
        ),
    ),
)

OCEAN = TenantSpec(
    slug="ocean",
    name="Monétik Océan",
    time_zone="Indian/Reunion",
    age_days=400,
    tid_letter="R",
    users=(
        U("supervisor", "supervisor@ocean.demo", "Isabelle Payet", Role.SUPERVISOR),
        U("seller", "seller@ocean.demo", "Jean-Luc Hoarau", Role.SELLER),
        U("hotline", "hotline@ocean.demo", "Valérie Grondin", Role.HOTLINE),
        U("technician", "technician@ocean.demo", "Teddy Rivière", Role.TECHNICIAN),
        U("service", "service@ocean.demo", "Passerelle monétique Océan", Role.SERVICE),
    ),
    companies=(
        C(
            "Le Cari Péi",
            "Le Cari Péi",
            "SARL",
            "5812",
            CS.ACTIVE,
            "Sully Técher",
            "lecaripei@orange.fr",
            REUNION,
            "42 rue Pasteur",
            "97400",
            "Saint-Denis",
            (
                S(
                    "Le Cari Péi Saint-Denis",
                    "42 rue Pasteur",
                    "97400",
                    "Saint-Denis",
                    (
                        T("A920Pro"),
                        T(
                            "Samsung Galaxy A54 5G",
                            softpos=True,
                            past_block=(12.5, 6.0, "Vérification d'identité du gérant"),
                        ),
                        T("Xiaomi Redmi Note 12 Pro", softpos=True, deactivated_days=45),
                    ),
                ),
                S(
                    "Le Cari Péi Saint-Pierre",
                    "Boulevard Hubert-Delisle",
                    "97410",
                    "Saint-Pierre",
                    (T("A77"),),
                ),
            ),
            age_days=390,
            fee_change_days=95,
        ),
        C(
            "Supérette Bourbon",
            "Bourbon Market",
            "SAS",
            "5411",
            CS.ACTIVE,
            "Nadia Fontaine",
            "n.fontaine@bourbon-market.re",
            REUNION,
            "15 rue des Bons Enfants",
            "97410",
            "Saint-Pierre",
            (
                S(
                    "Bourbon Market Saint-Pierre",
                    "15 rue des Bons Enfants",
                    "97410",
                    "Saint-Pierre",
                    (
                        T("A920Pro"),
                        T(
                            "A920Pro",
                            block=(1.4, 1.0, "Contestation de transactions en cours"),
                        ),
                        T("S920", volume=0.7),
                    ),
                ),
                S(
                    "Bourbon Market Le Tampon",
                    "112 rue Hubert-Delisle",
                    "97430",
                    "Le Tampon",
                    (T("A920Pro"), T("A77", volume=0.7)),
                ),
            ),
            age_days=360,
        ),
        C(
            "Pharmacie des Hauts",
            None,
            "SELARL",
            "5912",
            CS.ACTIVE,
            "Anne-Laure Lebon",
            "pharmaciedeshauts@wanadoo.fr",
            REUNION,
            "8 rue Victor Le Vigoureux",
            "97430",
            "Le Tampon",
            (
                S(
                    "Pharmacie des Hauts",
                    "8 rue Victor Le Vigoureux",
                    "97430",
                    "Le Tampon",
                    (T("A920Pro", options_pending=True),),
                ),
            ),
            age_days=280,
        ),
        C(
            "Station Piton Services",
            "Station Piton",
            "SA",
            "5541",
            CS.ACTIVE,
            "Jean-Paul Lauret",
            "jp.lauret@station-piton.re",
            REUNION,
            "RN1, Savannah",
            "97460",
            "Saint-Paul",
            (
                S(
                    "Station Piton Savannah",
                    "RN1, Savannah",
                    "97460",
                    "Saint-Paul",
                    (T("IM30"), T("A920Pro", stale_hours=47.0, options_pending=True)),
                ),
            ),
            age_days=340,
        ),
        C(
            "Hôtel Lagon Bleu",
            "Hôtel Lagon Bleu",
            "SAS",
            "7011",
            CS.SUSPENDED,
            "Sophie Nativel",
            "direction@lagonbleu.re",
            REUNION,
            "Boulevard du Front de Mer",
            "97434",
            "Saint-Gilles-les-Bains",
            (
                S(
                    "Hôtel Lagon Bleu",
                    "Boulevard du Front de Mer",
                    "97434",
                    "Saint-Gilles-les-Bains",
                    (T("A920Pro"), T("Samsung Galaxy S23", softpos=True)),
                ),
            ),
            age_days=300,
            suspended=(3.3, "Hausse des rétrofacturations : revue de risque en cours"),
        ),
        C(
            "Run Électronique",
            "Run Électro",
            "SAS",
            "5732",
            CS.APPROVED,
            "Yannick Boyer",
            "y.boyer@runelectro.re",
            REUNION,
            "Zone industrielle n° 2",
            "97420",
            "Le Port",
            (
                S(
                    "Run Électro Le Port",
                    "Zone industrielle n° 2",
                    "97420",
                    "Le Port",
                    (T("A920Pro"), T("Samsung Galaxy A54 5G", softpos=True)),
                ),
            ),
            age_days=20,
            signed=True,
        ),
        C(
            "Vanille des Hauts",
            "Vanille des Hauts",
            "EURL",
            "5999",
            CS.EVALUATION,
            "Marie-Claude Dijoux",
            "contact@vanilledeshauts.re",
            REUNION,
            "Chemin de la Vanilleraie",
            "97440",
            "Saint-André",
            (S("Vanille des Hauts", "Chemin de la Vanilleraie", "97440", "Saint-André"),),
            age_days=6,
        ),
        C(
            "Willy Maillot",
            "Samoussas Ti Zanbrocal",
            "EI",
            "5814",
            CS.PROSPECT,
            "Willy Maillot",
            "tizanbrocal974@gmail.com",
            REUNION,
            "Marché forain, rue du Général Lambert",
            "97436",
            "Saint-Leu",
            (S("Ti Zanbrocal", "Marché forain, rue du Général Lambert", "97436", "Saint-Leu"),),
            age_days=2,
        ),
        C(
            "Boucan Surf Shop",
            "Boucan Surf",
            "SARL",
            "5941",
            CS.REJECTED,
            "Kévin Robert",
            "boucansurf@gmail.com",
            REUNION,
            "Rue du Général de Gaulle",
            "97434",
            "Saint-Gilles-les-Bains",
            (S("Boucan Surf", "Rue du Général de Gaulle", "97434", "Saint-Gilles-les-Bains"),),
            age_days=45,
            rejection="Société en procédure de sauvegarde : dossier non éligible.",
        ),
        C(
            "Librairie du Barachois",
            "Librairie du Barachois",
            "SARL",
            "5942",
            CS.CLOSED,
            "Gilles Ethève",
            "librairie.barachois@orange.fr",
            REUNION,
            "2 place Sarda Garriga",
            "97400",
            "Saint-Denis",
            (
                S(
                    "Librairie du Barachois",
                    "2 place Sarda Garriga",
                    "97400",
                    "Saint-Denis",
                    (T("A77"),),
                ),
            ),
            age_days=420,
            closed_days=95,
        ),
        C(
            "Boulangerie de Cilaos",
            "Au Pain de Cilaos",
            "EURL",
            "5462",
            CS.ACTIVE,
            "Josiane Turpin",
            "aupaindecilaos@gmail.com",
            REUNION,
            "Rue du Père Boiteau",
            "97413",
            "Cilaos",
            (S("Au Pain de Cilaos", "Rue du Père Boiteau", "97413", "Cilaos", (T("A77"),)),),
            age_days=210,
            draft_extension=S(
                "Au Pain de Cilaos – marché de Saint-Paul",
                "Marché forain, front de mer",
                "97460",
                "Saint-Paul",
                (T("Samsung Galaxy A34 5G", softpos=True),),
            ),
        ),
    ),
)

TENANT_SPECS: tuple[TenantSpec, ...] = (ALIZES, OCEAN)

# --------------------------------------------------------------------------- activity profiles

#: Relative share of the day's payments per local hour (0-23).
_HOURLY: dict[str, tuple[int, ...]] = {
    "restaurant": (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 6, 14, 16, 8, 2, 1, 2, 4, 9, 12, 10, 5, 1),
    "fastfood": (0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 6, 10, 14, 12, 6, 4, 4, 6, 8, 7, 4, 2, 0, 0),
    "bar": (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 5, 5, 4, 4, 6, 8, 10, 11, 10, 8, 6, 3),
    "grocery": (0, 0, 0, 0, 0, 0, 1, 4, 6, 7, 8, 10, 11, 7, 5, 5, 7, 10, 11, 8, 3, 0, 0, 0),
    "bakery": (0, 0, 0, 0, 0, 1, 8, 14, 12, 7, 5, 6, 7, 3, 2, 3, 5, 8, 7, 3, 0, 0, 0, 0),
    "pharmacy": (0, 0, 0, 0, 0, 0, 0, 2, 7, 10, 11, 10, 6, 2, 3, 6, 8, 9, 8, 4, 0, 0, 0, 0),
    "fuel": (1, 0, 0, 0, 0, 2, 5, 9, 8, 6, 6, 7, 8, 6, 5, 6, 8, 9, 8, 6, 4, 3, 2, 1),
    "hotel": (0, 0, 0, 0, 0, 0, 1, 4, 8, 9, 6, 4, 4, 3, 4, 6, 7, 6, 4, 5, 6, 4, 2, 1),
    "retail": (0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 8, 9, 8, 4, 4, 7, 9, 9, 7, 3, 0, 0, 0, 0),
}
#: Relative activity per weekday, Monday first.
_WEEKLY: dict[str, tuple[float, ...]] = {
    "restaurant": (0.7, 0.8, 0.9, 1.0, 1.3, 1.45, 1.15),
    "fastfood": (0.9, 0.9, 1.0, 1.0, 1.2, 1.3, 0.8),
    "bar": (0.6, 0.7, 0.8, 1.0, 1.4, 1.6, 1.1),
    "grocery": (0.9, 0.9, 1.0, 1.0, 1.15, 1.4, 0.45),
    "bakery": (0.95, 0.9, 0.95, 1.0, 1.05, 1.3, 1.2),
    "pharmacy": (1.1, 1.0, 1.0, 1.0, 1.05, 0.9, 0.15),
    "fuel": (1.0, 0.95, 0.95, 1.0, 1.15, 1.1, 0.85),
    "hotel": (0.9, 0.9, 0.9, 1.0, 1.15, 1.2, 1.05),
    "retail": (0.8, 0.9, 0.95, 1.0, 1.1, 1.5, 0.3),
}
#: MCC → (profile, payments per day on one PAX terminal, median amount in cents, sigma).
_MCC: dict[str, tuple[str, float, int, float]] = {
    "5812": ("restaurant", 55, 3400, 0.55),
    "5814": ("fastfood", 70, 1100, 0.5),
    "5813": ("bar", 60, 1500, 0.6),
    "5411": ("grocery", 100, 2900, 0.85),
    "5462": ("bakery", 100, 650, 0.6),
    "5912": ("pharmacy", 80, 2300, 0.8),
    "5541": ("fuel", 85, 4300, 0.45),
    "7011": ("hotel", 14, 17000, 0.7),
    "5732": ("retail", 20, 9500, 0.9),
    "8043": ("retail", 9, 16000, 0.7),
    "5999": ("retail", 35, 3500, 0.7),
    "5941": ("retail", 25, 6000, 0.8),
    "5942": ("retail", 30, 2200, 0.6),
    "4457": ("retail", 6, 25000, 0.6),
}
_SOFTPOS_VOLUME = 0.35
_CONTACTLESS_LIMIT = 5000

#: BINs per scheme: French co-badged CB cards, and foreign Visa / Mastercard cards.
_BINS: dict[str, tuple[str, ...]] = {
    "CB": ("497010", "497401", "497671", "497355", "513283", "535610", "455674", "532509"),
    "VISA": ("414720", "426684", "453275", "476173", "400115", "491652"),
    "MASTERCARD": ("542418", "552213", "222300", "516320", "545454", "230011"),
}
#: Decline codes and their weights; 55 needs a PIN (chip), 65 asks for one (contactless).
_DECLINES: tuple[tuple[str, int], ...] = (
    ("05", 30),
    ("51", 25),
    ("55", 12),
    ("54", 8),
    ("61", 10),
    ("65", 15),
)
_ERRORS: tuple[tuple[str, int], ...] = (("91", 60), ("96", 40))

_PAX_MODELS: dict[str, tuple[str, str]] = {
    # model → (serial prefix, firmware)
    "A920Pro": ("1851", "PayDroid_10.0_Cedar_V18.2.11"),
    "A77": ("1770", "PayDroid_10.0_Cedar_V18.1.4"),
    "IM30": ("2230", "PayDroid_10.0_Sagittarius_V18.2.3"),
    "S920": ("0920", "Prolin_2.8.20"),
}
_PHONE_OS: dict[str, str] = {
    "Samsung Galaxy A54 5G": "Android 14",
    "Samsung Galaxy A34 5G": "Android 14",
    "Samsung Galaxy S23": "Android 14",
    "Google Pixel 7a": "Android 14",
    "Xiaomi Redmi Note 12 Pro": "Android 13",
    "Apple iPhone 14": "iOS 17.6",
}
_PAX_APP_OLD, _PAX_APP = "Monétik Pay 5.1.4", "Monétik Pay 5.2.1"
_SOFTPOS_APP_OLD, _SOFTPOS_APP = "Paywish 3.4.2", "Paywish 3.5.1"

_TERMINAL_ERRORS_PAX: tuple[tuple[str, str], ...] = (
    ("NET_TIMEOUT", "Délai de connexion au serveur d'autorisation dépassé"),
    ("CARD_READ_ERROR", "Lecture de la puce impossible, carte retirée trop tôt"),
    ("EMV_APP_BLOCKED", "Application EMV bloquée sur la carte"),
    ("TMS_DOWNLOAD_FAILED", "Échec du téléchargement des paramètres (TMS)"),
    ("SSL_HANDSHAKE", "Échec de la négociation TLS avec le frontal"),
)
_TERMINAL_ERRORS_SOFTPOS: tuple[tuple[str, str], ...] = (
    ("NFC_TIMEOUT", "Carte présentée trop brièvement (NFC)"),
    ("ATTESTATION_FAILED", "Contrôle d'intégrité de l'appareil en échec"),
    ("NET_TIMEOUT", "Délai de connexion au serveur d'autorisation dépassé"),
    ("PIN_ENTRY_CANCELLED", "Saisie du code sur écran annulée par le porteur"),
)


# =========================================================================== builder


def _secs(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=0)


def _millis(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def external_id(tid: str, occurred_at: dt.datetime, seq: int) -> str:
    """A demo transaction's external id: `<TID>-D<yyyymmdd>-N<seq>`, unique per terminal.

    The letters keep the TID's digits, the date and the sequence apart: glued with dashes
    only ("…45-20261204-000123") they made runs of 14 to 20 digits, which the API reads as
    a card number when a part of them looks like one (`db.identifiers.find_pans`) and so
    would refuse from a terminal. Here no run holds more than 8 digits.
    """
    return f"{tid}-D{occurred_at:%Y%m%d}-N{seq:06d}"


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class _Traffic:
    """A terminal of a live service: when it may transact, and when it sends heartbeats."""

    terminal: Row
    service: Row
    contract: Row
    shop: Row
    company: Row
    region: Region
    mcc: str
    spec: T
    active_from: dt.datetime
    #: Transactions and heartbeats stop here (now, or when the terminal went silent).
    alive_until: dt.datetime
    #: Intervals in which the service or its contract refuses payments (code 58).
    refused: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    settlement: dt.time | None = None
    transactions: list[Row] = field(default_factory=list)


@dataclass
class DemoData:
    """Everything `seed_demo` writes: global rows, then each tenant's rows per table."""

    tenants: list[Row]
    platform_users: list[Row]
    #: tenant id → table name → rows.
    tenant_rows: dict[uuid.UUID, dict[str, list[Row]]]


class _World:
    """What both tenants share: the random generator, `now`, the password hash."""

    def __init__(self, now: dt.datetime, seed: int, password_hash: str) -> None:
        self.now = now
        self.seed = seed
        self.rng = random.Random(seed)
        self.password_hash = password_hash
        self.window_start = now - dt.timedelta(days=TRANSACTION_DAYS)
        self.serials: set[str] = set()
        self.sirens: set[str] = set()
        self.platform_user: Row = {}

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


class _TenantBuilder:
    """Builds one tenant's rows by replaying the story of each of its merchants."""

    def __init__(self, world: _World, spec: TenantSpec) -> None:
        self.w = world
        self.rng = world.rng
        self.now = world.now
        self.spec = spec
        self.id = world.uid()
        self.rows: dict[str, list[Row]] = {t.__tablename__: [] for t in _TENANT_TABLES}
        self.tenant: Row = {}
        self.users: dict[str, Row] = {}
        self.tids: set[str] = set()
        self.references: set[str] = set()
        self.traffic: list[_Traffic] = []
        self.options: dict[uuid.UUID, list[Row]] = {}
        self.fee_lines: dict[uuid.UUID, list[Row]] = {}
        #: audit `after` values that name a contract number, filled in once numbers are given.
        self.numbered: list[tuple[dict[str, Any], Row]] = []
        self.home = GUADELOUPE if spec.slug == "alizes" else REUNION
        self.terminal_by_id: dict[uuid.UUID, Row] = {}

    # ------------------------------------------------------------------ helpers

    def add(self, table: type[m.Base], row: Row) -> Row:
        row = {"tenant_id": self.id, **row}
        self.rows[table.__tablename__].append(row)
        return row

    def at(self, region: Region, days_ago: float, hour: float) -> dt.datetime:
        """UTC time of the local `hour` on the local day `days_ago` days before now."""
        local_now = self.now.astimezone(region.tz)
        day = (local_now - dt.timedelta(days=days_ago)).date()
        local = dt.datetime.combine(day, dt.time(0), region.tz) + dt.timedelta(hours=hour)
        value = _secs(local.astimezone(UTC))
        if value >= self.now:
            value = _secs(self.now - dt.timedelta(minutes=self.rng.uniform(20, 90)))
        return value

    def later(self, t: dt.datetime, lo_min: float, hi_min: float) -> dt.datetime:
        value = _secs(t + dt.timedelta(minutes=self.rng.uniform(lo_min, hi_min)))
        return min(value, _secs(self.now - dt.timedelta(seconds=self.rng.uniform(30, 300))))

    def ago(self, days: float) -> dt.datetime:
        return _secs(self.now - dt.timedelta(days=days))

    @staticmethod
    def touch(row: Row, when: dt.datetime) -> None:
        """An update of a mutable row: its version goes up and updated_at follows."""
        row["version"] += 1
        row["updated_at"] = max(row["updated_at"], when)

    def phone(self, region: Region, mobile: bool = True) -> str:
        prefix = self.rng.choice(region.mobiles) if mobile else region.landline
        return prefix + "".join(self.rng.choices(string.digits, k=6))

    def audit(
        self,
        when: dt.datetime,
        actor: Row | str,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> None:
        request_id: str | None = new_request_id(
            prefix="req-", bits=64, randbits=self.rng.getrandbits
        )
        if actor == "system":
            kind, actor_id, label, request_id = e.ActorKind.SYSTEM, None, "system", None
        elif actor == "platform":
            platform_user = self.w.platform_user
            kind, actor_id, label = (
                e.ActorKind.PLATFORM,
                platform_user["id"],
                platform_user["email"],
            )
        else:
            assert isinstance(actor, dict)
            kind, actor_id, label = e.ActorKind.USER, actor["id"], actor["email"]
        self.add(
            m.AuditEvent,
            {
                "id": self.w.uid(),
                "actor_kind": kind.value,
                "actor_id": actor_id,
                "actor_label": label,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                # References as global ids, as the journal keeps them (resolvers/journal.py).
                "before": encode_references(before),
                "after": encode_references(after),
                "reason": reason,
                "request_id": request_id,
                "occurred_at": when,
            },
        )

    def event(
        self,
        terminal: Row,
        kind: e.TerminalEventKind,
        when: dt.datetime,
        code: str | None = None,
        message: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        self.add(
            m.TerminalEvent,
            {
                "id": self.w.uid(),
                "terminal_id": terminal["id"],
                "kind": kind.value,
                "code": code,
                "message": message,
                "payload": payload,
                "occurred_at": when,
                "recorded_at": min(
                    self.now, _millis(when + dt.timedelta(seconds=self.rng.uniform(0.2, 3.0)))
                ),
            },
        )

    # ------------------------------------------------------------------ tenant and users

    def build_tenant(self) -> None:
        spec, rng = self.spec, self.rng
        created = _secs(self.now - dt.timedelta(days=spec.age_days, hours=rng.uniform(1, 6)))
        self.tenant = {
            "id": self.id,
            "slug": spec.slug,
            "name": spec.name,
            "status": e.TenantStatus.ACTIVE.value,
            "heartbeat_interval_s": 60,
            "default_currency": "EUR",
            "time_zone": spec.time_zone,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        self.audit(
            created,
            "platform",
            "tenant.created",
            "Tenant",
            self.id,
            after={"slug": spec.slug, "name": spec.name},
        )
        # Support tickets are handled within a working day here; other types keep the
        # product's default hours.
        self.due_hours = {**m.REQUEST_DUE_HOURS, e.RequestType.SUPPORT: 24}
        self.add(
            m.RequestDueTime,
            {"type": e.RequestType.SUPPORT.value, "hours": 24, "updated_at": created},
        )
        for i, u in enumerate(spec.users):
            when = _secs(created + dt.timedelta(hours=1 + 3.5 * i, minutes=rng.uniform(0, 50)))
            row = self.add(
                m.User,
                {
                    "id": self.w.uid(),
                    "email": u.email,
                    "full_name": u.full_name,
                    "role": u.role.value,
                    "password_hash": self.w.password_hash,
                    "status": e.UserStatus.ACTIVE.value,
                    "phone": None if u.role is Role.SERVICE else self.phone(self.home),
                    "password_changed_at": when,
                    "last_login_at": None,
                    "created_at": when,
                    "updated_at": when,
                    "version": 1,
                },
            )
            self.users[u.key] = row
            creator: Row | str = self.users["supervisor"] if i else "platform"
            self.audit(
                when,
                creator,
                "user.created",
                "User",
                row["id"],
                after={"email": u.email, "fullName": u.full_name, "role": u.role.value},
            )
            if u.status is e.UserStatus.DEACTIVATED:
                gone = self.ago(rng.uniform(40, 90))
                row["last_login_at"] = _secs(gone - dt.timedelta(hours=rng.uniform(20, 60)))
                row["status"] = u.status.value
                self.touch(row, gone)
                self.audit(
                    gone,
                    self.users["supervisor"],
                    "user.deactivated",
                    "User",
                    row["id"],
                    before={"status": "ACTIVE"},
                    after={"status": "DEACTIVATED"},
                    reason="Départ de l'entreprise",
                )
            elif u.role is not Role.SERVICE:
                row["last_login_at"] = _secs(self.now - dt.timedelta(hours=rng.uniform(0.5, 30)))

    # ------------------------------------------------------------------ identifiers

    def new_siren(self) -> str:
        while True:
            siren = make_siren(f"{self.rng.randint(30_000_000, 94_999_999):08d}")
            if siren not in self.w.sirens:
                self.w.sirens.add(siren)
                return siren

    def new_reference(self) -> str:
        while True:
            ref = (
                "".join(self.rng.choices(string.ascii_uppercase, k=6))
                + "".join(self.rng.choices(string.digits, k=3))
                + "".join(self.rng.choices(string.ascii_uppercase, k=2))
            )
            if ref not in self.references:
                self.references.add(ref)
                return ref

    def new_tid(self, softpos: bool) -> str:
        alphabet = string.ascii_uppercase + string.digits
        while True:
            tid = (
                self.spec.tid_letter
                + ("S" if softpos else "P")
                + "".join(self.rng.choices(alphabet, k=6))
            )
            if tid not in self.tids:
                self.tids.add(tid)
                return tid

    def new_serial(self, model: str) -> str:
        prefix = _PAX_MODELS[model][0]
        while True:
            serial = prefix + "".join(self.rng.choices(string.digits, k=6))
            if serial not in self.w.serials:
                self.w.serials.add(serial)
                return serial

    # ------------------------------------------------------------------ companies and shops

    def set_company_status(
        self,
        company: Row,
        status: CS,
        when: dt.datetime,
        actor: Row | str,
        reason: str | None = None,
    ) -> None:
        before = company["status"]
        company["status"] = status.value
        if reason is not None:
            company["status_reason"] = reason
        self.touch(company, when)
        self.audit(
            when,
            actor,
            "company.status_changed",
            "Company",
            company["id"],
            before={"status": before},
            after={"status": status.value},
            reason=reason,
        )

    def new_shop(
        self, company: Row, s: S, nic: int, when: dt.datetime, actor: Row
    ) -> tuple[Row, S]:
        siret = make_siret(company["siren"], f"{nic:04d}")
        shop = self.add(
            m.Shop,
            {
                "id": self.w.uid(),
                "company_id": company["id"],
                "name": s.name,
                "siret": siret,
                "mcc": company["mcc"],
                "address_line1": s.line1,
                "address_line2": s.line2,
                "postal_code": s.postal_code,
                "city": s.city,
                "country": "FR",
                "status": e.ShopStatus.OPEN.value,
                "closed_at": None,
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        self.audit(
            when,
            actor,
            "shop.created",
            "Shop",
            shop["id"],
            after={"name": s.name, "siret": siret, "city": s.city},
        )
        return shop, s

    def build_company(self, c: C) -> None:
        rng = self.rng
        seller, supervisor = self.users[c.seller], self.users["supervisor"]
        created = self.at(c.region, c.age_days, rng.uniform(8.5, 16))
        siren = self.new_siren()
        bank, bic = rng.choice(c.region.banks)
        iban = make_french_iban(
            bank, f"{rng.randint(1, 99999):05d}", f"{rng.randint(1, 99_999_999_999):011d}"
        )
        company = self.add(
            m.Company,
            {
                "id": self.w.uid(),
                "legal_name": c.legal_name,
                "trade_name": c.trade_name,
                "siren": siren,
                "legal_form": c.legal_form,
                "mcc": c.mcc,
                "contact_name": c.contact,
                "contact_email": c.contact_email,
                "contact_phone": self.phone(c.region, mobile=rng.random() < 0.6),
                "iban": iban,
                "bic": bic,
                "address_line1": c.line1,
                "address_line2": None,
                "postal_code": c.postal_code,
                "city": c.city,
                "country": "FR",
                "status": CS.PROSPECT.value,
                "status_reason": None,
                "created_by": seller["id"],
                "created_at": created,
                "updated_at": created,
                "version": 1,
            },
        )
        self.audit(
            created,
            seller,
            "company.created",
            "Company",
            company["id"],
            after={
                "legalName": c.legal_name,
                "siren": siren,
                "legalForm": c.legal_form,
                "mcc": c.mcc,
                "status": "PROSPECT",
            },
        )
        nics = sorted(rng.sample(range(10, 990), len(c.shops) + 1))
        shops = [
            self.new_shop(company, s, nics[i], self.later(created, 5, 50), seller)
            for i, s in enumerate(c.shops)
        ]
        if c.status is CS.PROSPECT:
            return

        # The seller asks for the commercial evaluation; the supervisor decides.
        asked = self.at(c.region, c.age_days - 1, rng.uniform(9, 16))
        evaluation = self.new_request(
            e.RequestType.EVALUATION,
            company,
            None,
            seller,
            supervisor,
            asked,
            f"Évaluation commerciale – {c.trade_name or c.legal_name}",
            "Dossier complet : Kbis de moins de 3 mois, pièce d'identité du gérant, RIB, "
            "prévisionnel de chiffre d'affaires par carte.",
        )
        self.set_company_status(company, CS.EVALUATION, asked, seller)
        if c.status is CS.EVALUATION:
            review = self.later(asked, 60, 300)
            evaluation["status"] = e.RequestStatus.IN_REVIEW.value
            self.touch(evaluation, review)
            self.comment(evaluation, supervisor, review, "Je prends le dossier.")
            self.comment(
                evaluation,
                supervisor,
                self.later(review, 120, 600),
                "Merci de joindre les trois derniers relevés bancaires de la société.",
            )
            self.comment(
                evaluation,
                seller,
                self.later(review, 1500, 2500),
                "Relevés demandés à la gérante, envoi prévu cette semaine.",
            )
            return

        decided = self.at(c.region, c.age_days - 3, rng.uniform(9, 17))
        self.comment(
            evaluation, supervisor, self.later(asked, 60, 300), "Dossier reçu, analyse en cours."
        )
        if c.status is CS.REJECTED:
            self.decide(evaluation, supervisor, decided, e.RequestStatus.REJECTED, c.rejection)
            self.set_company_status(company, CS.REJECTED, decided, supervisor, c.rejection)
            return
        self.decide(
            evaluation,
            supervisor,
            decided,
            e.RequestStatus.APPROVED,
            "Avis favorable : activité et volumes cohérents avec le secteur.",
        )
        self.set_company_status(company, CS.APPROVED, decided, supervisor)

        contract = self.new_contract(company, c, shops, seller, c.age_days - 4)
        if c.status is CS.APPROVED and not c.signed:
            return
        self.sign(contract, seller, self.at(c.region, c.age_days - 6, rng.uniform(9, 17)), c)

        # Terminals registered and assigned by the technician; services activated.
        pending = c.status is CS.APPROVED
        activation = self.at(c.region, c.age_days - 8, rng.uniform(8.5, 10))
        if pending:
            activation = _secs(self.now - dt.timedelta(hours=rng.uniform(20, 40)))
        services: list[Row] = []
        for shop, s in shops:
            for spec in s.terminals:
                services.append(
                    self.build_service(c, company, contract, shop, spec, activation, pending)
                )
                activation = self.later(activation, 15, 50)
        if pending:
            return
        first = min(s["activated_at"] for s in services if s["activated_at"] is not None)
        contract["status"] = e.ContractStatus.ACTIVE.value
        contract["activated_at"] = first
        self.touch(contract, first)
        self.audit(
            first,
            "system",
            "contract.activated",
            "Contract",
            contract["id"],
            before={"status": "SIGNED"},
            after={"status": "ACTIVE"},
            reason="Premier service actif",
        )
        self.set_company_status(company, CS.ACTIVE, first, "system", None)

        if c.fee_change_days is not None:
            self.change_fees(company, contract, c)
        if c.draft_extension is not None:
            new_shop = self.new_shop(
                company,
                c.draft_extension,
                nics[-1],
                self.at(c.region, 5, rng.uniform(9, 16)),
                seller,
            )
            self.new_contract(company, c, [new_shop], seller, 4)
        if c.status is CS.SUSPENDED:
            assert c.suspended is not None
            days, reason = c.suspended
            when = self.ago(days)
            contract["status"] = e.ContractStatus.SUSPENDED.value
            contract["suspended_at"] = when
            contract["status_reason"] = reason
            self.touch(contract, when)
            self.audit(
                when,
                supervisor,
                "contract.suspended",
                "Contract",
                contract["id"],
                before={"status": "ACTIVE"},
                after={"status": "SUSPENDED"},
                reason=reason,
            )
            self.set_company_status(company, CS.SUSPENDED, when, supervisor, reason)
            for traffic in self.traffic:
                if traffic.contract is contract:
                    traffic.refused.append((when, self.now))
        elif c.status is CS.CLOSED:
            self.close(company, contract, shops, services, c)

    # ------------------------------------------------------------------ requests

    def new_request(
        self,
        kind: e.RequestType,
        company: Row,
        contract: Row | None,
        author: Row,
        assignee: Row | None,
        when: dt.datetime,
        subject: str,
        description: str | None,
        payload: dict[str, Any] | None = None,
    ) -> Row:
        reference = self.new_reference()
        request = self.add(
            m.Request,
            {
                "id": self.w.uid(),
                "reference": reference,
                "type": kind.value,
                "status": e.RequestStatus.OPEN.value,
                "company_id": company["id"],
                "contract_id": contract["id"] if contract else None,
                "author_id": author["id"],
                "assignee_id": assignee["id"] if assignee else None,
                "subject": subject,
                "description": description,
                "payload": payload,
                "decided_by": None,
                "decided_at": None,
                "decision_comment": None,
                "due_at": when + dt.timedelta(hours=self.due_hours[kind]),
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        self.audit(
            when,
            author,
            "request.created",
            "Request",
            request["id"],
            after={"reference": reference, "type": kind.value, "subject": subject},
        )
        return request

    def comment(
        self, request: Row, author: Row | None, when: dt.datetime, body: str, label: str = ""
    ) -> None:
        self.add(
            m.RequestComment,
            {
                "id": self.w.uid(),
                "request_id": request["id"],
                "author_id": author["id"] if author else None,
                "author_label": author["full_name"] if author else label,
                "body": body,
                "created_at": when,
            },
        )
        request["updated_at"] = max(request["updated_at"], when)

    def decide(
        self,
        request: Row,
        actor: Row,
        when: dt.datetime,
        status: e.RequestStatus,
        comment: str | None,
    ) -> None:
        before = request["status"]
        request["status"] = status.value
        request["decided_by"] = actor["id"]
        request["decided_at"] = when
        request["decision_comment"] = comment
        self.touch(request, when)
        self.audit(
            when,
            actor,
            f"request.{status.value.lower()}",
            "Request",
            request["id"],
            before={"status": before},
            after={"status": status.value},
            reason=comment,
        )

    # ------------------------------------------------------------------ contracts and fees

    def draw_fees(self) -> list[tuple[str, str, int, int]]:
        """A realistic schedule: (scheme, region, rate in bps, fixed fee in cents)."""
        rng = self.rng
        cb = rng.choice((22, 25, 28, 30, 32, 35, 38))
        cards = cb + rng.choice((8, 10, 15, 20))
        eea = rng.choice((70, 80, 90, 95))
        intl = rng.choice((160, 175, 190, 210, 230, 250))
        fixed = rng.choice((5, 6, 8, 10))
        return [
            ("CB", "DOMESTIC", cb, fixed),
            ("CB", "EEA", eea, 15),
            ("CB", "INTERNATIONAL", intl, 25),
            ("VISA", "DOMESTIC", cards, fixed + 5),
            ("VISA", "EEA", eea + 5, 15),
            ("VISA", "INTERNATIONAL", intl, 25),
            ("MASTERCARD", "DOMESTIC", cards + 5, fixed + 5),
            ("MASTERCARD", "EEA", eea + 10, 18),
            ("MASTERCARD", "INTERNATIONAL", intl + 10, 25),
        ]

    def new_fee_schedule(
        self,
        contract: Row,
        version: int,
        effective: dt.date,
        lines: list[tuple[str, str, int, int]],
        rental: int,
        softpos_fee: int,
        when: dt.datetime,
        actor: Row,
        reason: str,
        request: Row | None = None,
    ) -> Row:
        schedule = self.add(
            m.FeeSchedule,
            {
                "id": self.w.uid(),
                "contract_id": contract["id"],
                "version_number": version,
                "effective_from": effective,
                "currency": "EUR",
                "terminal_rental_monthly": rental,
                "softpos_fee_monthly": softpos_fee,
                "reason": reason,
                "request_id": request["id"] if request else None,
                "created_by": actor["id"],
                "created_at": when,
            },
        )
        self.fee_lines[schedule["id"]] = [
            self.add(
                m.FeeLine,
                {
                    "fee_schedule_id": schedule["id"],
                    "scheme": scheme,
                    "region": region,
                    "rate_bps": bps,
                    "fixed_fee": fixed,
                },
            )
            for scheme, region, bps, fixed in lines
        ]
        return schedule

    @staticmethod
    def fees_json(schedule: Row, lines: list[tuple[str, str, int, int]]) -> dict[str, Any]:
        return {
            "version": schedule["version_number"],
            "effectiveFrom": schedule["effective_from"].isoformat(),
            "terminalRentalMonthly": schedule["terminal_rental_monthly"],
            "softposFeeMonthly": schedule["softpos_fee_monthly"],
            "lines": [
                {"scheme": s, "region": r, "rateBps": bps, "fixedFee": fixed}
                for s, r, bps, fixed in lines
            ],
        }

    def new_contract(
        self, company: Row, c: C, shops: list[tuple[Row, S]], author: Row, days_ago: float
    ) -> Row:
        rng = self.rng
        when = self.at(c.region, days_ago, rng.uniform(9, 17))
        kinds = []
        if any(not t.softpos for _, s in shops for t in s.terminals):
            kinds.append(e.ServiceKind.PAY_ON_SITE.value)
        if any(t.softpos for _, s in shops for t in s.terminals):
            kinds.append(e.ServiceKind.PAYWISH_SOFTPOS.value)
        contract = self.add(
            m.Contract,
            {
                "id": self.w.uid(),
                "number": "",
                "company_id": company["id"],
                "status": e.ContractStatus.DRAFT.value,
                "service_kinds": kinds,
                "currency": "EUR",
                "signed_at": None,
                "signed_by": None,
                "signatory_name": None,
                "activated_at": None,
                "suspended_at": None,
                "terminated_at": None,
                "status_reason": None,
                "created_by": author["id"],
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        for shop, _ in shops:
            self.add(
                m.ContractShop,
                {"contract_id": contract["id"], "shop_id": shop["id"], "added_at": when},
            )
        lines = self.draw_fees()
        rental = rng.choice((2200, 2500, 2900)) if "PAY_ON_SITE" in kinds else 0
        softpos_fee = 990 if "PAYWISH_SOFTPOS" in kinds else 0
        effective = (when + dt.timedelta(days=7 if days_ago < 10 else 3)).date()
        schedule = self.new_fee_schedule(
            contract, 1, effective, lines, rental, softpos_fee, when, author, "Conditions initiales"
        )
        after = {"number": None, "companyId": str(company["id"]), "serviceKinds": kinds}
        after["fees"] = self.fees_json(schedule, lines)
        self.numbered.append((after, contract))
        self.audit(when, author, "contract.created", "Contract", contract["id"], after=after)
        contract["_schedule"] = (schedule, lines)
        return contract

    def sign(self, contract: Row, seller: Row, when: dt.datetime, c: C) -> None:
        contract["status"] = e.ContractStatus.SIGNED.value
        contract["signed_at"] = when
        contract["signed_by"] = seller["id"]
        contract["signatory_name"] = c.contact
        self.touch(contract, when)
        after = {"number": None, "status": "SIGNED", "signatoryName": c.contact}
        self.numbered.append((after, contract))
        self.audit(
            when,
            seller,
            "contract.signed",
            "Contract",
            contract["id"],
            before={"status": "DRAFT"},
            after=after,
        )

    def change_fees(self, company: Row, contract: Row, c: C) -> None:
        """A FEE_CHANGE request by the seller, approved: version 2 of the fee schedule."""
        assert c.fee_change_days is not None
        seller, supervisor = self.users[c.seller], self.users["supervisor"]
        schedule, lines = contract["_schedule"]
        new_lines = [
            (
                scheme,
                region,
                max(
                    15,
                    bps - (5 if region == "DOMESTIC" else 20 if region == "INTERNATIONAL" else 0),
                ),
                fixed,
            )
            for scheme, region, bps, fixed in lines
        ]
        decided = self.at(c.region, c.fee_change_days, self.rng.uniform(9, 17))
        asked = self.at(c.region, c.fee_change_days + 3, self.rng.uniform(9, 17))
        first_of_next_month = (decided.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        proposal = {
            "effectiveFrom": first_of_next_month.isoformat(),
            "lines": [
                {"scheme": s, "region": r, "rateBps": bps, "fixedFee": fx}
                for s, r, bps, fx in new_lines
            ],
            "terminalRentalMonthly": schedule["terminal_rental_monthly"],
            "softposFeeMonthly": schedule["softpos_fee_monthly"],
        }
        request = self.new_request(
            e.RequestType.FEE_CHANGE,
            company,
            contract,
            seller,
            supervisor,
            asked,
            "Renégociation des commissions",
            "Volumes en hausse de 30 % sur l'année : le client demande une baisse du taux CB "
            "domestique et du taux international.",
            payload=proposal,
        )
        self.comment(
            request,
            supervisor,
            self.later(asked, 120, 1200),
            "Volumes vérifiés sur 12 mois : d'accord pour -5 pb en domestique, -20 pb à "
            "l'international.",
        )
        self.decide(request, supervisor, decided, e.RequestStatus.APPROVED, "Accordé.")
        new = self.new_fee_schedule(
            contract,
            2,
            first_of_next_month,
            new_lines,
            schedule["terminal_rental_monthly"],
            schedule["softpos_fee_monthly"],
            decided,
            supervisor,
            "Renégociation annuelle",
            request,
        )
        self.touch(contract, decided)
        self.audit(
            decided,
            supervisor,
            "contract.fee_changed",
            "Contract",
            contract["id"],
            before=self.fees_json(schedule, lines),
            after=self.fees_json(new, new_lines),
            reason="Renégociation annuelle",
        )

    def close(
        self, company: Row, contract: Row, shops: list[tuple[Row, S]], services: list[Row], c: C
    ) -> None:
        """Termination asked by the merchant, done by the supervisor; terminals returned."""
        assert c.closed_days is not None
        hotline, supervisor = self.users["hotline"], self.users["supervisor"]
        technician = self.users["technician"]
        asked = self.at(c.region, c.closed_days + 12, self.rng.uniform(9, 16))
        done = self.at(c.region, c.closed_days, self.rng.uniform(9, 16))
        reason = "Cessation d'activité du commerçant"
        request = self.new_request(
            e.RequestType.TERMINATION,
            company,
            contract,
            hotline,
            supervisor,
            asked,
            "Résiliation du contrat",
            "Le gérant a appelé : fermeture définitive de l'établissement en fin de mois.",
        )
        self.comment(
            request,
            None,
            self.later(asked, 5, 30),
            "Courrier de résiliation reçu en recommandé.",
            label="Courrier commerçant",
        )
        self.decide(request, supervisor, done, e.RequestStatus.DONE, "Contrat résilié.")
        contract["status"] = e.ContractStatus.TERMINATED.value
        contract["terminated_at"] = done
        contract["status_reason"] = reason
        self.touch(contract, done)
        self.audit(
            done,
            supervisor,
            "contract.terminated",
            "Contract",
            contract["id"],
            before={"status": "ACTIVE"},
            after={"status": "TERMINATED"},
            reason=reason,
        )
        for service in services:
            self.deactivate(service, done, supervisor, reason)
            terminal = self.terminal_by_id[service["terminal_id"]]
            self.return_terminal(terminal, self.later(done, 2 * 1440, 5 * 1440), technician)
        for shop, _ in shops:
            shop["status"] = e.ShopStatus.CLOSED.value
            shop["closed_at"] = done
            self.touch(shop, done)
        self.set_company_status(company, CS.CLOSED, done, supervisor, reason)

    # ------------------------------------------------------------------ terminals and services

    def new_terminal(
        self, model: str, softpos: bool, when: dt.datetime, shop: Row | None, status: str
    ) -> Row:
        kind = e.TerminalKind.SOFTPOS if softpos else e.TerminalKind.PAX
        terminal = self.add(
            m.Terminal,
            {
                "id": self.w.uid(),
                "kind": kind.value,
                "tid": self.new_tid(softpos),
                "serial_number": None if softpos else self.new_serial(model),
                "model": model,
                "os_version": _PHONE_OS[model] if softpos else None,
                "firmware_version": None if softpos else _PAX_MODELS[model][1],
                "app_version": _SOFTPOS_APP if softpos else _PAX_APP,
                "shop_id": shop["id"] if shop else None,
                "status": status,
                "blocked_reason": None,
                "blocked_until": None,
                "last_seen_at": None,
                "last_heartbeat_at": None,
                "applied_options_version": None,
                "options_applied_at": None,
                "created_at": when,
                "updated_at": when,
                "version": 1,
            },
        )
        self.terminal_by_id[terminal["id"]] = terminal
        return terminal

    def register_pax(self, model: str, when: dt.datetime) -> Row:
        technician = self.users["technician"]
        terminal = self.new_terminal(model, False, when, None, e.TerminalStatus.IN_STOCK.value)
        self.audit(
            when,
            technician,
            "terminal.registered",
            "Terminal",
            terminal["id"],
            after={
                "kind": "PAX",
                "model": model,
                "serialNumber": terminal["serial_number"],
                "tid": terminal["tid"],
            },
        )
        return terminal

    def add_options(self, terminal: Row, when: dt.datetime, actor: Row, **changes: Any) -> Row:
        versions = self.options.setdefault(terminal["id"], [])
        base: Row = (
            {k: versions[-1][k] for k in _OPTION_FIELDS}
            if versions
            else {
                "contactless": True,
                "tipping": False,
                "cashback": False,
                "pre_authorization": False,
                "manual_entry": False,
                "receipt_mode": e.ReceiptMode.PRINT.value,
                "language": "fr",
                "settlement_time": dt.time(23, 0),
            }
        )
        base.update(changes)
        row = self.add(
            m.TerminalOptions,
            {
                "terminal_id": terminal["id"],
                "version_number": len(versions) + 1,
                **base,
                "created_by": actor["id"],
                "created_at": when,
                "acknowledged_at": None,
            },
        )
        versions.append(row)
        if len(versions) > 1:
            self.audit(
                when,
                actor,
                "terminal.options_updated",
                "Terminal",
                terminal["id"],
                before=_options_json(versions[-2]),
                after=_options_json(row),
            )
        return row

    def acknowledge(self, terminal: Row, options: Row, when: dt.datetime) -> None:
        options["acknowledged_at"] = when
        terminal["applied_options_version"] = options["version_number"]
        terminal["options_applied_at"] = when
        self.touch(terminal, when)
        self.event(
            terminal,
            e.TerminalEventKind.PARAMETERS_DOWNLOADED,
            when,
            "PARAMS_OK",
            f"Paramètres version {options['version_number']} appliqués",
            {"optionsVersion": options["version_number"]},
        )

    def deactivate(self, service: Row, when: dt.datetime, actor: Row, reason: str) -> None:
        before = service["status"]
        service["status"] = e.ServiceStatus.DEACTIVATED.value
        service["deactivated_at"] = when
        self.touch(service, when)
        self.audit(
            when,
            actor,
            "service.deactivated",
            "Service",
            service["id"],
            before={"status": before},
            after={"status": "DEACTIVATED"},
            reason=reason,
        )

    def return_terminal(self, terminal: Row, when: dt.datetime, actor: Row) -> None:
        before = terminal["status"]
        terminal["status"] = e.TerminalStatus.RETURNED.value
        terminal["shop_id"] = None
        self.touch(terminal, when)
        self.audit(
            when,
            actor,
            "terminal.returned",
            "Terminal",
            terminal["id"],
            before={"status": before},
            after={"status": "RETURNED"},
        )

    def build_service(
        self,
        c: C,
        company: Row,
        contract: Row,
        shop: Row,
        spec: T,
        activation: dt.datetime,
        pending: bool,
    ) -> Row:
        rng = self.rng
        technician, hotline = self.users["technician"], self.users["hotline"]
        profile = _MCC[c.mcc][0]
        kind = e.ServiceKind.PAYWISH_SOFTPOS if spec.softpos else e.ServiceKind.PAY_ON_SITE
        terminal: Row | None = None
        if not spec.softpos:
            registered = _secs(activation - dt.timedelta(days=rng.uniform(2.5, 4)))
            terminal = self.register_pax(spec.model, registered)
            assigned = _secs(activation - dt.timedelta(days=rng.uniform(0.6, 1.5)))
            terminal["shop_id"] = shop["id"]
            terminal["status"] = e.TerminalStatus.ASSIGNED.value
            self.touch(terminal, assigned)
            self.audit(
                assigned,
                technician,
                "terminal.assigned",
                "Terminal",
                terminal["id"],
                before={"status": "IN_STOCK", "shopId": None},
                after={"status": "ASSIGNED", "shopId": str(shop["id"])},
            )
            self.add_options(terminal, assigned, technician, **_initial_options(profile, rng))
        service = self.add(
            m.Service,
            {
                "id": self.w.uid(),
                "contract_id": contract["id"],
                "shop_id": shop["id"],
                "kind": kind.value,
                "terminal_id": terminal["id"] if terminal else None,
                "status": e.ServiceStatus.PENDING.value,
                "blocked_reason": None,
                "blocked_at": None,
                "blocked_until": None,
                "blocked_by": None,
                "activation_code_hash": None,
                "activation_code_expires_at": None,
                "activated_at": None,
                "deactivated_at": None,
                "created_at": activation,
                "updated_at": activation,
                "version": 1,
            },
        )
        requested: dict[str, Any] = {"kind": kind.value, "shopId": str(shop["id"])}
        if terminal is not None:
            requested["terminalId"] = str(terminal["id"])
        if spec.softpos:
            code = "".join(rng.choices(string.digits, k=8))
            service["activation_code_hash"] = hashlib.sha256(code.encode()).hexdigest()
            service["activation_code_expires_at"] = activation + dt.timedelta(hours=72)
            requested["activationCodeExpiresAt"] = service["activation_code_expires_at"].isoformat()
        self.audit(
            activation,
            technician,
            "service.activation_requested",
            "Service",
            service["id"],
            after=requested,
        )
        if pending:
            return service

        # Activated: the PAX downloads its parameters; the phone enrolls with its code.
        if terminal is None:
            enrolled = self.later(activation, 20, 180)
            terminal = self.new_terminal(
                spec.model, True, enrolled, shop, e.TerminalStatus.ACTIVE.value
            )
            service["terminal_id"] = terminal["id"]
            service["activation_code_hash"] = None
            self.audit(
                enrolled,
                self.users["service"],
                "terminal.enrolled",
                "Terminal",
                terminal["id"],
                after={
                    "kind": "SOFTPOS",
                    "model": spec.model,
                    "osVersion": terminal["os_version"],
                    "tid": terminal["tid"],
                    "serviceId": str(service["id"]),
                },
            )
            activated, actor = enrolled, self.users["service"]
        else:
            activated, actor = self.later(activation, 3, 15), technician
            terminal["status"] = e.TerminalStatus.ACTIVE.value
            self.acknowledge(terminal, self.options[terminal["id"]][0], activated)
        service["status"] = e.ServiceStatus.ACTIVE.value
        service["activated_at"] = activated
        self.touch(service, activated)
        self.audit(
            activated,
            actor,
            "service.activated",
            "Service",
            service["id"],
            before={"status": "PENDING"},
            after={"status": "ACTIVE", "terminalId": str(terminal["id"]), "tid": terminal["tid"]},
        )

        if c.status is CS.CLOSED:
            return service

        if spec.deactivated_days is not None:
            when = self.ago(spec.deactivated_days)
            self.deactivate(service, when, technician, "Appareil remplacé par un terminal PAX")
            self.return_terminal(terminal, when, technician)
            return service

        online_until = _millis(self.now - dt.timedelta(seconds=rng.uniform(2, 45)))
        traffic = _Traffic(
            terminal=terminal,
            service=service,
            contract=contract,
            shop=shop,
            company=company,
            region=c.region,
            mcc=c.mcc,
            spec=spec,
            active_from=activated,
            alive_until=online_until,
        )
        self.traffic.append(traffic)

        # The application was updated on the device during the period.
        update_day = 12 if spec.softpos else 18
        update_at = self.at(c.region, update_day, rng.uniform(2.5, 4.5))
        if activated < update_at:
            old, new = (
                (_SOFTPOS_APP_OLD, _SOFTPOS_APP) if spec.softpos else (_PAX_APP_OLD, _PAX_APP)
            )
            terminal["app_version"] = new
            self.touch(terminal, update_at)
            self.event(
                terminal,
                e.TerminalEventKind.APP_UPDATED,
                update_at,
                "APP_UPDATE_OK",
                f"Application mise à jour : {old} → {new}",
                {"from": old, "to": new},
            )

        if spec.stale_hours is not None:
            silent = dt.timedelta(hours=spec.stale_hours, seconds=rng.uniform(0, 59))
            traffic.alive_until = _millis(self.now - silent)
        if spec.terminal_block is not None:
            days, reason = spec.terminal_block
            when = self.ago(days)
            traffic.alive_until = _millis(when - dt.timedelta(hours=rng.uniform(1, 3)))
            terminal["status"] = e.TerminalStatus.BLOCKED.value
            terminal["blocked_reason"] = reason
            self.touch(terminal, when)
            self.audit(
                when,
                hotline,
                "terminal.blocked",
                "Terminal",
                terminal["id"],
                before={"status": "ACTIVE"},
                after={"status": "BLOCKED"},
                reason=reason,
            )

        # Options: a later change acknowledged by the device, maybe one still pending.
        if not spec.softpos:
            versions = self.options[terminal["id"]]
            change = _later_options(profile)
            latest_ok = traffic.alive_until - dt.timedelta(days=2)
            if change and latest_ok > activated + dt.timedelta(days=6):
                span = (latest_ok - activated).total_seconds()
                when = _secs(activated + dt.timedelta(seconds=rng.uniform(0.2, 0.9) * span))
                self.add_options(terminal, when, technician, **change)
                self.acknowledge(terminal, versions[-1], self.later(when, 2, 20))
            if spec.options_pending:
                since = max(traffic.alive_until, self.now - dt.timedelta(minutes=90))
                when = self.later(since, 10, 50)
                self.add_options(
                    terminal,
                    when,
                    technician,
                    settlement_time=dt.time(22, 30),
                    tipping=profile in ("restaurant", "bar", "fastfood"),
                )
            traffic.settlement = versions[-1]["settlement_time"]
            if versions[-1]["acknowledged_at"] is None:
                traffic.settlement = versions[-2]["settlement_time"]

        # Blocks: a past one that ended by itself, and the current one.
        if spec.past_block is not None:
            days, hours, reason = spec.past_block
            start = self.ago(days)
            end = _secs(start + dt.timedelta(hours=hours))
            self.block(service, start, hotline, reason, end)
            traffic.refused.append((start, end))
            service["status"] = e.ServiceStatus.ACTIVE.value
            service["blocked_reason"] = None
            service["blocked_at"] = None
            service["blocked_until"] = None
            service["blocked_by"] = None
            self.touch(service, end)
            self.audit(
                end,
                "system",
                "service.unblocked",
                "Service",
                service["id"],
                before={"status": "BLOCKED"},
                after={"status": "ACTIVE"},
                reason="Fin du blocage temporaire",
            )
        if spec.block is not None:
            days, until_days, reason = spec.block
            start = self.ago(days)
            until = None
            if until_days is not None:
                until = (self.now + dt.timedelta(days=until_days)).replace(minute=0, second=0)
            self.block(service, start, hotline, reason, until)
            traffic.refused.append((start, self.now))
        return service

    def block(
        self,
        service: Row,
        when: dt.datetime,
        actor: Row,
        reason: str,
        until: dt.datetime | None,
    ) -> None:
        service["status"] = e.ServiceStatus.BLOCKED.value
        service["blocked_reason"] = reason
        service["blocked_at"] = when
        service["blocked_until"] = until
        service["blocked_by"] = actor["id"]
        self.touch(service, when)
        self.audit(
            when,
            actor,
            "service.blocked",
            "Service",
            service["id"],
            before={"status": "ACTIVE"},
            after={"status": "BLOCKED", "until": until.isoformat() if until else None},
            reason=reason,
        )

    def build_stock(self) -> None:
        """A few PAX terminals in stock, waiting for a merchant."""
        for model in ("A920Pro", "A920Pro", "A77", "S920"):
            self.register_pax(model, self.at(self.home, self.rng.uniform(3, 60), 10))

    # ------------------------------------------------------------------ support requests

    def build_requests(self) -> None:
        """Support and fee requests around what happened to the terminals and merchants."""
        rng = self.rng
        hotline, technician = self.users["hotline"], self.users["technician"]
        supervisor = self.users["supervisor"]
        for tr in self.traffic:
            tid = tr.terminal["tid"]
            if tr.spec.stale_hours is not None:
                asked = self.later(tr.alive_until, 30, 90)
                request = self.new_request(
                    e.RequestType.SUPPORT,
                    tr.company,
                    tr.contract,
                    hotline,
                    technician,
                    asked,
                    f"TPE {tid} hors ligne",
                    "Le commerçant signale que le terminal n'arrive plus à joindre le serveur.",
                )
                request["status"] = e.RequestStatus.IN_REVIEW.value
                review = self.later(asked, 5, 30)
                self.touch(request, review)
                self.comment(
                    request,
                    technician,
                    review,
                    "Dernier battement de cœur reçu avant les erreurs réseau : box 4G du "
                    "magasin à redémarrer. Rappel du commerçant prévu.",
                )
            if tr.spec.terminal_block is not None:
                asked = _secs(self.ago(tr.spec.terminal_block[0]) - dt.timedelta(minutes=20))
                request = self.new_request(
                    e.RequestType.SUPPORT,
                    tr.company,
                    tr.contract,
                    hotline,
                    technician,
                    asked,
                    f"Perte du TPE {tid}",
                    "Terminal portable introuvable depuis la fermeture d'hier soir.",
                )
                self.decide(
                    request,
                    technician,
                    self.later(asked, 60, 240),
                    e.RequestStatus.DONE,
                    "Terminal bloqué, remplacement proposé au commerçant.",
                )
            if tr.spec.block is not None and tr.spec.block[1] is not None:
                asked = self.later(self.ago(tr.spec.block[0]), 60, 300)
                request = self.new_request(
                    e.RequestType.SUPPORT,
                    tr.company,
                    tr.contract,
                    hotline,
                    supervisor,
                    asked,
                    f"Demande de déblocage du service {tid}",
                    "Le commerçant demande la levée du blocage avant la date prévue.",
                )
                self.comment(
                    request,
                    None,
                    self.later(asked, 1, 10),
                    "Appel entrant du gérant, rappel demandé.",
                    label="Standard",
                )

        # Paper rolls, a broken screen, and fee negotiations.
        active = [
            c
            for c in self.rows["companies"]
            if c["status"] == CS.ACTIVE.value and self.company_contracts(c)
        ]
        first = active[0]
        paper = self.new_request(
            e.RequestType.SUPPORT,
            first,
            None,
            hotline,
            None,
            self.later(self.ago(1), 0, 60),
            "Commande de rouleaux de papier thermique",
            "20 rouleaux 57 × 40 mm pour les terminaux du magasin.",
        )
        self.comment(paper, hotline, self.later(paper["created_at"], 2, 10), "Commande transmise.")
        # Opened twice by mistake: its author withdraws the copy (cancelRequest).
        twice_at = _secs(paper["created_at"] + dt.timedelta(minutes=4))
        twice = self.new_request(
            e.RequestType.SUPPORT,
            first,
            None,
            hotline,
            None,
            twice_at,
            "Commande de rouleaux de papier thermique",
            "20 rouleaux 57 × 40 mm pour les terminaux du magasin.",
        )
        self.decide(
            twice,
            hotline,
            _secs(twice_at + dt.timedelta(minutes=3)),
            e.RequestStatus.CANCELLED,
            "Doublon de la demande " + paper["reference"] + ".",
        )
        second = active[1 % len(active)]
        screen_at = self.ago(rng.uniform(50, 70))
        screen = self.new_request(
            e.RequestType.SUPPORT,
            second,
            None,
            hotline,
            technician,
            screen_at,
            "Écran du terminal fissuré",
            "L'écran tactile ne répond plus dans le coin inférieur droit.",
        )
        self.decide(
            screen,
            technician,
            self.later(screen_at, 600, 2800),
            e.RequestStatus.DONE,
            "Terminal échangé sur place, paramètres rechargés.",
        )
        unchanged = [
            c for c in active if not any(f["request_id"] for f in self.company_schedules(c))
        ]
        for i, company in enumerate(unchanged[:2]):
            contract = self.company_contracts(company)[0]
            schedule, lines = contract["_schedule"]
            asked = self.ago(rng.uniform(2, 9))
            proposal = {
                "effectiveFrom": (asked.date() + dt.timedelta(days=30)).isoformat(),
                "lines": [
                    {
                        "scheme": s,
                        "region": r,
                        "rateBps": max(15, bps - (10 if r == "DOMESTIC" else 30)),
                        "fixedFee": fx,
                    }
                    for s, r, bps, fx in lines
                ],
                "terminalRentalMonthly": schedule["terminal_rental_monthly"],
                "softposFeeMonthly": schedule["softpos_fee_monthly"],
            }
            request = self.new_request(
                e.RequestType.FEE_CHANGE,
                company,
                contract,
                self.users["seller"],
                supervisor,
                asked,
                "Baisse des commissions demandée par le client",
                "Offre concurrente reçue par le commerçant ; demande d'alignement.",
                payload=proposal,
            )
            if i == 0:
                self.comment(
                    request,
                    supervisor,
                    self.later(asked, 60, 600),
                    "À étudier avec les volumes du trimestre.",
                )
            else:
                self.decide(
                    request,
                    supervisor,
                    self.later(asked, 600, 2000),
                    e.RequestStatus.REJECTED,
                    "Baisse non justifiée au regard des volumes et du taux de rétrofacturation.",
                )

    def company_contracts(self, company: Row) -> list[Row]:
        return [
            c
            for c in self.rows["contracts"]
            if c["company_id"] == company["id"] and c["status"] == "ACTIVE"
        ]

    def company_schedules(self, company: Row) -> list[Row]:
        ids = {c["id"] for c in self.rows["contracts"] if c["company_id"] == company["id"]}
        return [s for s in self.rows["fee_schedules"] if s["contract_id"] in ids]

    # ------------------------------------------------------------------ traffic

    def build_transactions(self, tr: _Traffic) -> None:
        rng, now = self.rng, self.now
        profile, daily, median, sigma = _MCC[tr.mcc]
        daily *= tr.spec.volume * (_SOFTPOS_VOLUME if tr.spec.softpos else 1.0)
        cumulative = list(itertools.accumulate(_HOURLY[profile]))
        weekly = _WEEKLY[profile]
        start = max(self.w.window_start, tr.active_from)
        end = tr.alive_until
        mu = math.log(median)
        softpos = tr.spec.softpos
        unattended = tr.spec.model == "IM30"
        hotel = profile == "hotel"
        refund_rate = 0.012 if profile in ("grocery", "retail", "pharmacy") else 0.003
        schemes = ("CB", "VISA", "MASTERCARD")
        # Tourist places see more foreign Visa and Mastercard cards.
        scheme_cumulative = (45, 77, 100) if hotel else (68, 87, 100)
        manual = bool(
            self.options.get(tr.terminal["id"])
            and self.options[tr.terminal["id"]][0]["manual_entry"]
        )
        base = {
            "tenant_id": self.id,
            "terminal_id": tr.terminal["id"],
            "shop_id": tr.shop["id"],
            "company_id": tr.company["id"],
            "contract_id": tr.contract["id"],
            "service_id": tr.service["id"],
            "currency": "EUR",
        }
        out = tr.transactions
        recent: list[Row] = []
        local_now = now.astimezone(tr.region.tz)

        def refused_at(t: dt.datetime) -> bool:
            return any(a <= t < b for a, b in tr.refused)

        def row(
            t: dt.datetime,
            kind: str,
            amount: int,
            scheme: str,
            pan: str,
            mode: str,
            status: str,
            code: str,
            auth: str | None,
            original: uuid.UUID | None = None,
        ) -> Row:
            r = {
                **base,
                "id": self.w.uid(),
                "external_id": "",
                "type": kind,
                "amount": amount,
                "scheme": scheme,
                "masked_pan": pan,
                "entry_mode": mode,
                "status": status,
                "response_code": code,
                "authorization_code": auth,
                "original_transaction_id": original,
                "occurred_at": t,
                "recorded_at": t,
            }
            out.append(r)
            return r

        def auth_code() -> str:
            if rng.random() < 0.7:
                return f"{rng.randrange(1_000_000):06d}"
            return "".join(rng.choices(_ALNUM, k=6))

        for d in range(TRANSACTION_DAYS, -1, -1):
            day = (local_now - dt.timedelta(days=d)).date()
            mean = daily * weekly[day.weekday()]
            n = max(0, round(rng.gauss(mean, math.sqrt(mean) * 1.3)))
            if n == 0:
                continue
            midnight = dt.datetime.combine(day, dt.time(0), tr.region.tz)
            hours = rng.choices(_HOURS, cum_weights=cumulative, k=n)
            times = sorted(
                _millis(
                    (midnight + dt.timedelta(hours=h, seconds=rng.random() * 3600)).astimezone(UTC)
                )
                for h in hours
            )
            for t in times:
                if t < start or t > end:
                    continue
                refused = refused_at(t)
                if refused and rng.random() > 0.04:
                    continue  # a blocked merchant soon stops trying
                # A refund of an earlier purchase.
                if not refused and recent and rng.random() < refund_rate:
                    original = rng.choice(recent)
                    amount = original["amount"]
                    if rng.random() < 0.4:
                        amount = max(100, int(amount * rng.uniform(0.2, 0.9)))
                    row(
                        t,
                        "REFUND",
                        amount,
                        original["scheme"],
                        original["masked_pan"],
                        "TAP_TO_PAY" if softpos else rng.choice(("CHIP", "CONTACTLESS")),
                        "APPROVED",
                        "00",
                        None,
                        original["id"],
                    )
                    continue
                scheme = rng.choices(schemes, cum_weights=scheme_cumulative)[0]
                pan = mask_pan(rng.choice(_BINS[scheme]), f"{rng.randrange(10000):04d}")
                kind = "PURCHASE"
                amount = max(100, int(rng.lognormvariate(mu, sigma)))
                if unattended:
                    kind, amount = "PRE_AUTHORIZATION", 12000
                elif hotel and rng.random() < 0.22:
                    kind, amount = "PRE_AUTHORIZATION", rng.choice((20000, 30000, 40000, 50000))
                if softpos:
                    mode = "TAP_TO_PAY"
                elif amount > _CONTACTLESS_LIMIT or unattended:
                    mode = "CHIP" if rng.random() < 0.88 else "CONTACTLESS"
                else:
                    r = rng.random()
                    mode = (
                        "CONTACTLESS"
                        if r < 0.78
                        else "CHIP"
                        if r < 0.985
                        else "MAGSTRIPE"
                        if r < 0.992 or not manual
                        else "MANUAL"
                    )
                if refused:
                    status, code, auth = "DECLINED", BLOCKED_RESPONSE_CODE, None
                else:
                    r = rng.random()
                    if r < 0.052:
                        code = _pick(rng, _DECLINES)
                        if code == "55" and mode not in ("CHIP", "TAP_TO_PAY"):
                            code = "05"
                        if code == "65" and mode not in ("CONTACTLESS", "TAP_TO_PAY"):
                            code = "05"
                        status, auth = "DECLINED", None
                    elif r < 0.06:
                        status, code, auth = "ERROR", _pick(rng, _ERRORS), None
                    else:
                        status, code, auth = "APPROVED", "00", auth_code()
                tx = row(t, kind, amount, scheme, pan, mode, status, code, auth)
                if status != "APPROVED":
                    continue
                if kind == "PURCHASE":
                    recent.append(tx)
                    if len(recent) > 400:
                        del recent[:200]
                    if rng.random() < 0.004:
                        back = _millis(t + dt.timedelta(seconds=rng.uniform(5, 90)))
                        if back <= end:
                            row(
                                back,
                                "REVERSAL",
                                amount,
                                scheme,
                                pan,
                                mode,
                                "APPROVED",
                                "00",
                                None,
                                tx["id"],
                            )
                else:
                    if unattended:
                        done = t + dt.timedelta(minutes=rng.uniform(2, 6))
                        final = min(amount, max(500, int(rng.lognormvariate(mu, sigma))))
                    else:
                        done = t + dt.timedelta(days=rng.uniform(1, 4))
                        final = int(amount * rng.uniform(0.35, 1.0))
                    done = _millis(done)
                    if done <= end and not refused_at(done):
                        row(
                            done,
                            "COMPLETION",
                            final,
                            scheme,
                            pan,
                            mode,
                            "APPROVED",
                            "00",
                            auth,
                            tx["id"],
                        )

        out.sort(key=lambda r: (r["occurred_at"], r["type"]))
        tid = tr.terminal["tid"]
        for seq, tx in enumerate(out, start=1):
            tx["external_id"] = external_id(tid, tx["occurred_at"], seq)
            delay = dt.timedelta(seconds=rng.uniform(0.15, 2.5))
            tx["recorded_at"] = min(now, _millis(tx["occurred_at"] + delay))

    def build_events(self, tr: _Traffic) -> None:
        """Heartbeats (summarised per hour, then per day), reboots, settlements, errors."""
        rng, terminal = self.rng, tr.terminal
        tz = tr.region.tz
        begin = max(self.w.window_start, tr.active_from)
        last = tr.alive_until
        softpos = tr.spec.softpos
        portable = softpos or tr.spec.model in ("A920Pro", "A77", "S920")
        network = rng.choice(("WIFI", "4G")) if portable else "ETH"
        hb = e.TerminalEventKind.HEARTBEAT

        def heartbeat(t: dt.datetime, period: int) -> None:
            payload: dict[str, Any] = {
                "count": period // 60,
                "periodSeconds": period,
                "network": network,
                "signalDbm": -rng.randint(55, 95),
            }
            if portable:
                payload["battery"] = rng.randint(25, 100)
            self.event(terminal, hb, t, None, None, payload)

        heartbeat(last, 60)
        for k in range(1, 24):
            t = last - dt.timedelta(hours=k)
            if t < begin:
                break
            heartbeat(t, 3600)
        for k in range(1, TRANSACTION_DAYS + 1):
            t = last - dt.timedelta(days=k)
            if t < begin:
                break
            heartbeat(t, 86400)
        terminal["last_heartbeat_at"] = last
        last_tx = tr.transactions[-1]["occurred_at"] if tr.transactions else last
        terminal["last_seen_at"] = max(last, last_tx)

        local_now = self.now.astimezone(tz)
        days = [(local_now - dt.timedelta(days=d)).date() for d in range(TRANSACTION_DAYS, -1, -1)]

        def local(day: dt.date, hour: float) -> dt.datetime:
            return _millis(
                (dt.datetime.combine(day, dt.time(0), tz) + dt.timedelta(hours=hour)).astimezone(
                    UTC
                )
            )

        if not softpos:
            for day in days:
                t = local(day, 3 + rng.random())
                if begin <= t <= last:
                    self.event(
                        terminal,
                        e.TerminalEventKind.REBOOT,
                        t,
                        "DAILY_REBOOT",
                        "Redémarrage quotidien de sécurité",
                    )
            # Settlement (télécollecte) of the day's approved payments at the set time.
            assert tr.settlement is not None
            txs = [t for t in tr.transactions if t["status"] == "APPROVED"]
            i = 0
            for day in days:
                at = local(day, tr.settlement.hour + tr.settlement.minute / 60)
                count = amount = 0
                while i < len(txs) and txs[i]["occurred_at"] < at:
                    tx = txs[i]
                    sign = -1 if tx["type"] in ("REFUND", "REVERSAL") else 1
                    if tx["type"] != "PRE_AUTHORIZATION":
                        count += 1
                        amount += sign * tx["amount"]
                    i += 1
                if begin <= at <= last:
                    self.event(
                        terminal,
                        e.TerminalEventKind.SETTLEMENT,
                        at,
                        "TLC_OK",
                        f"Télécollecte : {count} opérations",
                        {"count": count, "amount": amount, "currency": "EUR"},
                    )
        errors = _TERMINAL_ERRORS_SOFTPOS if softpos else _TERMINAL_ERRORS_PAX
        profile_hours = _HOURLY[_MCC[tr.mcc][0]]
        open_hours = [h for h, w in enumerate(profile_hours) if w >= 3]
        for day in days:
            if rng.random() < 0.18:
                code, message = rng.choice(errors)
                t = local(day, rng.choice(open_hours) + rng.random())
                if begin <= t <= last:
                    self.event(terminal, e.TerminalEventKind.ERROR, t, code, message)
            if not softpos and rng.random() < 0.12:
                t = local(day, rng.choice(open_hours) + rng.random())
                if begin <= t <= last:
                    self.event(
                        terminal, e.TerminalEventKind.PAPER_OUT, t, "PAPER_OUT", "Plus de papier"
                    )
            if portable and rng.random() < 0.1:
                t = local(day, rng.choice(open_hours) + rng.random())
                if begin <= t <= last:
                    level = rng.randint(5, 15)
                    self.event(
                        terminal,
                        e.TerminalEventKind.LOW_BATTERY,
                        t,
                        "LOW_BATTERY",
                        f"Batterie faible ({level} %)",
                        {"battery": level},
                    )
        # Failed authorisations leave a trace on the terminal.
        for tx in tr.transactions:
            if tx["status"] == "ERROR" and rng.random() < 0.5:
                code, message = (
                    ("AUTH_HOST_UNREACHABLE", "Serveur d'autorisation injoignable")
                    if tx["response_code"] == "91"
                    else ("AUTH_SYSTEM_ERROR", "Erreur système du serveur d'autorisation")
                )
                self.event(
                    terminal,
                    e.TerminalEventKind.ERROR,
                    tx["occurred_at"],
                    code,
                    message,
                    {"externalId": tx["external_id"], "responseCode": tx["response_code"]},
                )
        # A terminal that went silent logged network errors first.
        if tr.spec.stale_hours is not None:
            for k in range(3):
                t = _millis(last - dt.timedelta(minutes=5 + 9 * k + rng.uniform(0, 5)))
                self.event(
                    terminal,
                    e.TerminalEventKind.ERROR,
                    t,
                    "NET_TIMEOUT",
                    "Délai de connexion au serveur d'autorisation dépassé",
                )

    # ------------------------------------------------------------------ commands

    def build_commands(self) -> None:
        """A few commands technicians sent to PAX terminals, each as it ended: a reboot done,
        an app update that failed, a parameters download that expired unanswered, one done,
        and a reboot still QUEUED (the demo's simulator, playing the gateway, collects and
        answers it). Drawn from a generator of their own, so the rest of the demo data is
        the same with or without them."""
        rng = random.Random(f"{self.w.seed}:commands:{self.spec.slug}")
        technician = self.users.get("technician")
        if technician is None:
            return
        live = sorted(
            (tr.terminal for tr in self.traffic if not tr.spec.softpos),
            key=lambda t: t["tid"],
        )
        live = [t for t in live if t["status"] == e.TerminalStatus.ACTIVE.value]
        if not live:
            return

        def uid() -> uuid.UUID:
            return uuid.UUID(int=rng.getrandbits(128), version=4)

        def command(
            terminal: Row,
            kind: e.TerminalCommandKind,
            asked: dt.datetime,
            status: e.TerminalCommandStatus,
            answer: tuple[e.TerminalEventKind, str | None, str] | None = None,
            failure: str | None = None,
        ) -> None:
            command_id = uid()
            sent = (
                None
                if status is e.TerminalCommandStatus.QUEUED
                else asked + dt.timedelta(seconds=rng.uniform(1, 5))
            )
            finished = None
            event_id = None
            if answer is not None:
                assert sent is not None
                finished = _secs(sent + dt.timedelta(seconds=rng.uniform(20, 240)))
                event_kind, code, message = answer
                event_id = uid()
                self.add(
                    m.TerminalEvent,
                    {
                        "id": event_id,
                        "terminal_id": terminal["id"],
                        "kind": event_kind.value,
                        "code": code,
                        "message": message,
                        "payload": None,
                        "occurred_at": finished,
                        "recorded_at": finished,
                    },
                )
            elif status is e.TerminalCommandStatus.EXPIRED:
                finished = asked + dt.timedelta(minutes=60)
            self.add(
                m.TerminalCommand,
                {
                    "id": command_id,
                    "terminal_id": terminal["id"],
                    "kind": kind.value,
                    "status": status.value,
                    "requested_by": technician["id"],
                    "requested_by_label": technician["email"],
                    "created_at": asked,
                    "expires_at": asked + dt.timedelta(minutes=60),
                    "sent_at": sent,
                    "finished_at": finished,
                    "failure_reason": failure,
                    "event_id": event_id,
                    "updated_at": finished or sent or asked,
                },
            )
            self.add(
                m.AuditEvent,
                {
                    "id": uid(),
                    "actor_kind": e.ActorKind.USER.value,
                    "actor_id": technician["id"],
                    "actor_label": technician["email"],
                    "action": "terminal.command_sent",
                    "entity_type": "Terminal",
                    "entity_id": terminal["id"],
                    "before": None,
                    "after": encode_references(
                        {
                            "command": kind.value,
                            "commandId": str(command_id),
                            "expiresAt": (asked + dt.timedelta(minutes=60)).isoformat(),
                        }
                    ),
                    "reason": None,
                    "request_id": new_request_id(prefix="req-", bits=64, randbits=rng.getrandbits),
                    "occurred_at": asked,
                },
            )

        K, S, E = e.TerminalCommandKind, e.TerminalCommandStatus, e.TerminalEventKind
        first = live[0]
        command(
            first,
            K.REBOOT,
            self.ago(3.2),
            S.DONE,
            (E.REBOOT, "REMOTE_COMMAND", "Redémarrage demandé à distance"),
        )
        other = live[1 % len(live)]
        command(
            other,
            K.UPDATE_APP,
            self.ago(1.1),
            S.FAILED,
            (E.APP_UPDATED, None, "Espace de stockage insuffisant"),
            failure="Espace de stockage insuffisant",
        )
        command(other, K.DOWNLOAD_PARAMETERS, self.ago(5.3), S.EXPIRED)
        applied = first.get("applied_options_version")
        if applied is not None:
            command(
                first,
                K.DOWNLOAD_PARAMETERS,
                self.ago(0.25),
                S.DONE,
                (
                    E.PARAMETERS_DOWNLOADED,
                    str(applied),
                    f"Paramètres version {applied} téléchargés à la demande",
                ),
            )
        queued = live[2 % len(live)]
        command(queued, K.REBOOT, _secs(self.now - dt.timedelta(minutes=2)), S.QUEUED)

    # ------------------------------------------------------------------ wrap up

    def number_contracts(self) -> None:
        """MP-YYYY-NNNNNN in creation order per year; the counters keep the last number."""
        counters: dict[int, int] = {}
        for contract in sorted(self.rows["contracts"], key=lambda c: (c["created_at"], c["id"])):
            year = contract["created_at"].year
            counters[year] = counters.get(year, 0) + 1
            contract["number"] = f"MP-{year}-{counters[year]:06d}"
        for after, contract in self.numbered:
            after["number"] = contract["number"]
        for year, value in sorted(counters.items()):
            self.add(m.TenantCounter, {"name": f"contract_number:{year}", "value": value})
        for contract in self.rows["contracts"]:
            contract.pop("_schedule", None)

    def build(self) -> None:
        self.build_tenant()
        for c in self.spec.companies:
            self.build_company(c)
        self.build_stock()
        self.build_requests()
        self.number_contracts()
        for tr in self.traffic:
            self.build_transactions(tr)
            self.build_events(tr)
        self.build_commands()
        transactions = [tx for tr in self.traffic for tx in tr.transactions]
        transactions.sort(key=lambda r: (r["occurred_at"], r["external_id"]))
        self.rows["transactions"] = transactions
        self.rows["terminal_events"].sort(key=lambda r: (r["occurred_at"], r["id"]))
        self.rows["audit_events"].sort(key=lambda r: (r["occurred_at"], r["id"]))
        self.build_documents()

    def build_documents(self) -> None:
        """Every company past PROSPECT has its Kbis (a one-page PDF) on file, added by the
        one who created it; the tenant needs no document kind for evaluations (the
        walkthrough sets them). Ids from the company's (no draw from the story's RNG)."""
        self.add(m.DocumentSettings, {"evaluation_document_kinds": [], "updated_at": self.now})
        blobs: set[str] = set()
        for company in self.rows["companies"]:
            if company["status"] == e.CompanyStatus.PROSPECT.value:
                continue
            content = _kbis_pdf(company["legal_name"], company["siren"])
            sha = hashlib.sha256(content).hexdigest()
            if sha not in blobs:
                blobs.add(sha)
                self.add(
                    m.DocumentBlob,
                    {"sha256": sha, "content": content, "created_at": company["created_at"]},
                )
            self.add(
                m.Document,
                {
                    "id": uuid.uuid5(company["id"], "kbis"),
                    "company_id": company["id"],
                    "contract_id": None,
                    "kind": e.DocumentKind.KBIS.value,
                    "filename": f"kbis-{company['siren']}.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": len(content),
                    "sha256": sha,
                    "language": None,
                    "snapshot": None,
                    "fee_schedule_id": None,
                    "created_by": company.get("created_by"),
                    "created_at": company["created_at"] + dt.timedelta(hours=1),
                },
            )


def _kbis_pdf(legal_name: str, siren: str) -> bytes:
    """A one-page demo Kbis (deterministic bytes)."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 760, "Extrait Kbis (démonstration)")
    page.setFont("Helvetica", 11)
    page.drawString(72, 730, f"Dénomination : {legal_name}")
    page.drawString(72, 712, f"SIREN : {siren}")
    page.save()
    return buffer.getvalue()


_HOURS = tuple(range(24))
_ALNUM = string.ascii_uppercase + string.digits
_OPTION_FIELDS = (
    "contactless",
    "tipping",
    "cashback",
    "pre_authorization",
    "manual_entry",
    "receipt_mode",
    "language",
    "settlement_time",
)


def _initial_options(profile: str, rng: random.Random) -> dict[str, Any]:
    settlement = {
        "restaurant": dt.time(23, 30),
        "bar": dt.time(23, 45),
        "fastfood": dt.time(22, 0),
        "grocery": dt.time(21, 30),
        "bakery": dt.time(20, 30),
        "pharmacy": dt.time(20, 0),
        "fuel": dt.time(22, 0),
        "hotel": dt.time(23, 0),
    }.get(profile, rng.choice((dt.time(20, 0), dt.time(21, 0))))
    options: dict[str, Any] = {"settlement_time": settlement}
    if profile in ("hotel", "fuel"):
        options["pre_authorization"] = True
    if profile == "hotel":
        options["manual_entry"] = True
    return options


def _later_options(profile: str) -> dict[str, Any]:
    """The change a merchant of this kind typically asks for after a while."""
    if profile in ("restaurant", "bar", "fastfood"):
        return {"tipping": True}
    if profile in ("grocery", "bakery", "retail", "pharmacy"):
        # Since 2023 a paper receipt is printed only when the customer asks for it.
        return {"receipt_mode": e.ReceiptMode.NONE.value}
    if profile == "hotel":
        return {"receipt_mode": e.ReceiptMode.EMAIL.value, "language": "en"}
    return {}


def _options_json(row: Row) -> dict[str, Any]:
    return {
        "version": row["version_number"],
        "contactless": row["contactless"],
        "tipping": row["tipping"],
        "cashback": row["cashback"],
        "preAuthorization": row["pre_authorization"],
        "manualEntry": row["manual_entry"],
        "receiptMode": row["receipt_mode"],
        "language": row["language"],
        "settlementTime": row["settlement_time"].strftime("%H:%M"),
    }


def build_demo(
    *,
    now: dt.datetime,
    seed: int = DEMO_SEED,
    password_hash: str,
    platform_admin_id: uuid.UUID | None = None,
) -> DemoData:
    """The demo rows, computed without touching a database (pure and deterministic)."""
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    world = _World(now, seed, password_hash)
    oldest = max(spec.age_days for spec in TENANT_SPECS)
    admin_created = _secs(now - dt.timedelta(days=oldest + 20, minutes=world.rng.uniform(0, 600)))
    admin_id = world.uid()
    world.platform_user = {
        "id": platform_admin_id or admin_id,
        "email": PLATFORM_ADMIN_EMAIL,
        "full_name": "Claire Delorme",
        "password_hash": password_hash,
        "status": e.UserStatus.ACTIVE.value,
        "password_changed_at": admin_created,
        "last_login_at": _secs(world.now - dt.timedelta(hours=3, minutes=12)),
        "created_at": admin_created,
        "updated_at": admin_created,
        "version": 1,
    }
    tenants, tenant_rows = [], {}
    for spec in TENANT_SPECS:
        builder = _TenantBuilder(world, spec)
        builder.build()
        tenants.append(builder.tenant)
        tenant_rows[builder.id] = builder.rows
    return DemoData(tenants=tenants, platform_users=[world.platform_user], tenant_rows=tenant_rows)


# =========================================================================== database


def _utc_minute() -> dt.datetime:
    """The current UTC time, truncated to the minute."""
    return dt.datetime.now(UTC).replace(second=0, microsecond=0)


async def _demo_tenants(session: AsyncSession) -> list[str]:
    result = await session.execute(
        sa.select(m.Tenant.slug).where(m.Tenant.slug.in_(DEMO_TENANTS)).order_by(m.Tenant.slug)
    )
    return list(result.scalars())


async def demo_present(owner_url: str) -> bool:
    """True when the database already holds a demo tenant."""
    db = Database(owner_url, pool_size=1, max_overflow=0)
    try:
        async with db.session(platform_claims()) as session, session.begin():
            return bool(await _demo_tenants(session))
    finally:
        await db.dispose()


async def _set_claims(session: AsyncSession, claims: Mapping[str, str]) -> None:
    """Switch the transaction's claims (transaction-local settings) mid-transaction."""
    names = list(claims)
    sql = "SELECT " + ", ".join(f"set_config(:n{i}, :v{i}, true)" for i in range(len(names)))
    params: dict[str, str] = {}
    for i, name in enumerate(names):
        params[f"n{i}"] = name
        params[f"v{i}"] = claims[name]
    await session.execute(sa.text(sql), params)


async def _insert(session: AsyncSession, table: sa.Table, rows: list[Row]) -> None:
    """Bulk insert through SQLAlchemy Core (asyncpg executemany), in chunks."""
    for i in range(0, len(rows), CHUNK):
        await session.execute(sa.insert(table), rows[i : i + CHUNK])


async def _insert_columnar(session: AsyncSession, table: sa.Table, rows: list[Row]) -> None:
    """Bulk insert of a large table with no JSON column: one INSERT ... SELECT FROM unnest()
    per chunk, each column sent as one array. About twice as fast as executemany here."""
    dialect = session.get_bind().dialect
    # Columns the database fills itself (the recording transaction's xid) are left out.
    columns = [c for c in table.columns if c.name in rows[0]] if rows else []
    arrays = ", ".join(
        f"CAST(:c{i} AS {column.type.compile(dialect=dialect)}[])"
        for i, column in enumerate(columns)
    )
    names = ", ".join(column.name for column in columns)
    # Names and types come from the model's metadata, never from input.
    sql = f"INSERT INTO {table.name} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    statement = sa.text(sql)
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        params = {f"c{j}": [r[column.name] for r in chunk] for j, column in enumerate(columns)}
        await session.execute(statement, params)


async def seed_demo(
    owner_url: str,
    *,
    now: dt.datetime | None = None,
    seed: int = DEMO_SEED,
    password: str = DEMO_PASSWORD,
) -> DemoSummary:
    """Write the demo tenants into a migrated database, in one transaction.

    Raises DemoAlreadySeeded when a demo tenant exists already (so running it twice is safe).
    `now` (default: the current UTC minute) is where the 30 days of history end.
    """
    started = time.perf_counter()
    if now is None:
        now = _utc_minute()
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    password_hash = hash_password(password)  # once: Argon2 is slow on purpose
    db = Database(owner_url, pool_size=1, max_overflow=0, statement_timeout_ms=300_000)
    try:
        async with db.session(platform_claims()) as session, session.begin():
            await session.execute(sa.text("SELECT pg_advisory_xact_lock(2026112802)"))
            existing = await _demo_tenants(session)
            if existing:
                raise DemoAlreadySeeded(
                    f"demo tenant(s) {', '.join(existing)} already exist: not seeding again"
                )
            admin_id = await session.scalar(
                sa.select(m.PlatformUser.id).where(
                    sa.func.lower(m.PlatformUser.email) == PLATFORM_ADMIN_EMAIL
                )
            )
            data = build_demo(
                now=now, seed=seed, password_hash=password_hash, platform_admin_id=admin_id
            )
            await _insert(session, m.Tenant.__table__, data.tenants)
            if admin_id is None:
                await _insert(session, m.PlatformUser.__table__, data.platform_users)
            for tenant_id, tables in data.tenant_rows.items():
                await _set_claims(session, tenant_claims(tenant_id))
                for model in _TENANT_TABLES:
                    table = model.__table__
                    insert = _insert_columnar if model is m.Transaction else _insert
                    await insert(session, table, tables[table.name])
    finally:
        await db.dispose()
    counts: dict[str, int] = {
        "tenants": len(data.tenants),
        "platform_users": 0 if admin_id else len(data.platform_users),
    }
    for tables in data.tenant_rows.values():
        for name, rows in tables.items():
            counts[name] = counts.get(name, 0) + len(rows)
    return DemoSummary(**counts, seconds=round(time.perf_counter() - started, 3))
