"""What the simulator sends and where: its defaults, rates, card data and GraphQL documents."""

from __future__ import annotations

import logging
import re
import string

log = logging.getLogger("spring.simulate")

DEFAULT_URL = "http://127.0.0.1:8000/graphql"
DEFAULT_EMAIL = "service@alizes.demo"
PASSWORD_ENV = "SPRING_SIMULATE_PASSWORD"  # noqa: S105 - a variable name
#: What `spring demo` simulates: tenant slug → transactions per second.
DEMO_TRAFFIC: tuple[tuple[str, float], ...] = (("alizes", 2.0), ("ocean", 1.0))

MAX_BATCH = 50
HEARTBEAT_EVERY = 20.0
#: Relative traffic of a SoftPOS phone, and of a terminal whose service or contract refuses
#: payments (a blocked merchant soon stops trying).
SOFTPOS_VOLUME = 0.35
BLOCKED_VOLUME = 0.04
CONTACTLESS_LIMIT = 5000
CURRENCY = "EUR"

#: BINs per scheme: French co-badged CB cards, foreign Visa and Mastercard cards.
BINS: dict[str, tuple[str, ...]] = {
    "CB": ("497010", "497401", "497671", "497355", "513283", "535610", "455674", "532509"),
    "VISA": ("414720", "426684", "453275", "476173", "400115", "491652"),
    "MASTERCARD": ("542418", "552213", "222300", "516320", "545454", "230011"),
}
SCHEMES: tuple[tuple[str, float], ...] = (("CB", 0.68), ("VISA", 0.19), ("MASTERCARD", 0.13))
#: Refusals (about 6 % of payments): status, ISO 8583 code, weight.
REFUSALS: tuple[tuple[str, str, float], ...] = (
    ("DECLINED", "05", 0.017),  # do not honour
    ("DECLINED", "51", 0.015),  # insufficient funds
    ("DECLINED", "55", 0.008),  # incorrect PIN (chip, or PIN on a phone screen)
    ("DECLINED", "61", 0.012),  # exceeds withdrawal amount limit
    ("ERROR", "91", 0.008),  # issuer or switch inoperative
)
REFUND_RATE = 0.008
TERMINAL_ERRORS: dict[bool, tuple[tuple[str, str], ...]] = {
    False: (
        ("NET_TIMEOUT", "Délai de connexion au serveur d'autorisation dépassé"),
        ("CARD_READ_ERROR", "Lecture de la puce impossible, carte retirée trop tôt"),
        ("PAPER_JAM", "Bourrage papier de l'imprimante"),
    ),
    True: (
        ("NFC_TIMEOUT", "Carte présentée trop brièvement (NFC)"),
        ("NET_TIMEOUT", "Délai de connexion au serveur d'autorisation dépassé"),
    ),
}

LOGIN = """mutation SimulatorLogin($i: LoginInput!) {
  login(input: $i) { token expiresAt userErrors { code message } } }"""
ME = "query SimulatorWhoAmI { me { email role tenant { slug name } } }"
RECORD_TRANSACTIONS = """mutation SimulatorTransactions($i: RecordTransactionsInput!) {
  recordTransactions(input: $i) {
    created transactions { externalId status } userErrors { field code message } } }"""
RECORD_EVENTS = """mutation SimulatorEvents($i: RecordTerminalEventsInput!) {
  recordTerminalEvents(input: $i) { heartbeats acknowledged userErrors { field code message } } }"""
PENDING_COMMANDS = """query SimulatorCommands($tids: [String!]) {
  pendingTerminalCommands(tids: $tids) { id kind terminal { tid } } }"""
#: Share of commands that fail on the terminal, and the reasons a terminal gives.
COMMAND_FAILURE_RATE = 0.05
COMMAND_FAILURES: dict[str, str] = {
    "DOWNLOAD_PARAMETERS": "Serveur de paramétrage injoignable",
    "REBOOT": "Redémarrage refusé : transaction en cours",
    "UPDATE_APP": "Espace de stockage insuffisant",
}

_TID = re.compile(r"^[A-Z0-9]{8}$")
_BASE32 = string.ascii_uppercase + "234567"


class SimulationError(RuntimeError):
    """The simulation cannot go on (login refused, no known terminal, role not allowed)."""


class _Stopped(Exception):
    """A stop was requested while waiting."""
