"""The demo's tenants, described (DESIGN §7): who they are, their merchants and each merchant's
story (companies, contracts, services, terminals), and the traffic profiles. Data only: the
builders (spring.demo.tenants and the modules it composes) turn this description into rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from db import enums as e
from tenancy.roles import Role

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
