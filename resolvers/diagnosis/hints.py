"""The diagnosis's words: verdicts, check codes, each check's title and its hints in French
and English (str.format templates).
"""

from __future__ import annotations

import enum


class Verdict(enum.StrEnum):
    OK = "OK"
    WARNING = "WARNING"
    FAILED = "FAILED"


RANK = {Verdict.OK: 0, Verdict.WARNING: 1, Verdict.FAILED: 2}


class CheckCode(enum.StrEnum):
    TERMINAL_STATUS = "TERMINAL_STATUS"
    SHOP = "SHOP"
    SERVICE = "SERVICE"
    CONTRACT = "CONTRACT"
    COMPANY = "COMPANY"
    HEARTBEAT = "HEARTBEAT"
    OPTIONS = "OPTIONS"
    ERROR_EVENTS = "ERROR_EVENTS"
    DECLINE_RATE = "DECLINE_RATE"
    RESPONSE_CODES = "RESPONSE_CODES"


TITLES: dict[CheckCode, dict[str, str]] = {
    CheckCode.TERMINAL_STATUS: {"fr": "État du terminal", "en": "Terminal status"},
    CheckCode.SHOP: {"fr": "Magasin", "en": "Shop"},
    CheckCode.SERVICE: {"fr": "Service de paiement", "en": "Payment service"},
    CheckCode.CONTRACT: {"fr": "Contrat", "en": "Contract"},
    CheckCode.COMPANY: {"fr": "Société", "en": "Company"},
    CheckCode.HEARTBEAT: {"fr": "Connexion (dernier signal)", "en": "Connectivity (heartbeat)"},
    CheckCode.OPTIONS: {"fr": "Paramètres appliqués", "en": "Options applied"},
    CheckCode.ERROR_EVENTS: {"fr": "Erreurs sur 24 h", "en": "Errors over 24 h"},
    CheckCode.DECLINE_RATE: {"fr": "Taux de refus sur 24 h", "en": "Decline rate over 24 h"},
    CheckCode.RESPONSE_CODES: {"fr": "Motifs de refus", "en": "Decline reasons"},
}

#: Hint key → {locale: template}. Templates use str.format fields.
HINTS: dict[str, dict[str, str]] = {
    "terminal_active": {
        "fr": "Le terminal est actif.",
        "en": "The terminal is active.",
    },
    "terminal_blocked": {
        "fr": "Le terminal est bloqué ({reason}){until}. Il refuse tout paiement : "
        "débloquez-le quand le motif est levé.",
        "en": "The terminal is blocked ({reason}){until}. It refuses every payment: "
        "unblock it once the reason is cleared.",
    },
    "terminal_returned": {
        "fr": "Le terminal a été restitué : il n'est plus en service.",
        "en": "The terminal was returned: it is out of service.",
    },
    "terminal_in_stock": {
        "fr": "Le terminal est en stock : affectez-le à un magasin puis activez un service.",
        "en": "The terminal is in stock: assign it to a shop, then activate a service.",
    },
    "terminal_assigned": {
        "fr": "Le terminal est affecté mais aucun service n'y est activé : activez le service.",
        "en": "The terminal is assigned but no service runs on it: activate the service.",
    },
    "shop_open": {"fr": "Le magasin {name} est ouvert.", "en": "The shop {name} is open."},
    "shop_none": {
        "fr": "Le terminal n'est affecté à aucun magasin.",
        "en": "The terminal is assigned to no shop.",
    },
    "shop_closed": {
        "fr": "Le magasin {name} est fermé : ses terminaux ne peuvent plus encaisser.",
        "en": "The shop {name} is closed: its terminals cannot take payments.",
    },
    "service_active": {
        "fr": "Le service {kind} est actif.",
        "en": "The {kind} service is active.",
    },
    "service_none": {
        "fr": "Aucun service de paiement n'utilise ce terminal : activez-en un.",
        "en": "No payment service uses this terminal: activate one.",
    },
    "service_blocked": {
        "fr": "Le service {kind} est bloqué ({reason}){until} : les paiements sont refusés "
        "(code {code}). Débloquez-le quand le motif est levé.",
        "en": "The {kind} service is blocked ({reason}){until}: payments are declined "
        "(code {code}). Unblock it once the reason is cleared.",
    },
    "service_pending": {
        "fr": "Le service {kind} attend son activation.",
        "en": "The {kind} service is waiting for its activation.",
    },
    "service_deactivated": {
        "fr": "Le service {kind} de ce terminal est désactivé.",
        "en": "The {kind} service of this terminal is deactivated.",
    },
    "contract_unknown": {
        "fr": "Non vérifié : aucun service ne relie ce terminal à un contrat.",
        "en": "Not checked: no service links this terminal to a contract.",
    },
    "contract_active": {
        "fr": "Le contrat {number} est actif.",
        "en": "Contract {number} is active.",
    },
    "contract_signed": {
        "fr": "Le contrat {number} est signé mais pas encore actif.",
        "en": "Contract {number} is signed but not active yet.",
    },
    "contract_draft": {
        "fr": "Le contrat {number} est un brouillon : il doit être signé.",
        "en": "Contract {number} is a draft: it must be signed.",
    },
    "contract_suspended": {
        "fr": "Le contrat {number} est suspendu{reason} : les paiements sont refusés. "
        "Seul un superviseur peut le reprendre.",
        "en": "Contract {number} is suspended{reason}: payments are declined. "
        "Only a supervisor can resume it.",
    },
    "contract_terminated": {
        "fr": "Le contrat {number} est résilié{reason}.",
        "en": "Contract {number} is terminated{reason}.",
    },
    "company_unknown": {
        "fr": "Non vérifié : ce terminal n'est relié à aucune société.",
        "en": "Not checked: this terminal is linked to no company.",
    },
    "company_active": {
        "fr": "La société {name} est active.",
        "en": "The company {name} is active.",
    },
    "company_approved": {
        "fr": "La société {name} est agréée mais pas encore active.",
        "en": "The company {name} is approved but not active yet.",
    },
    "company_inactive": {
        "fr": "La société {name} est {status} : elle ne peut pas encaisser.",
        "en": "The company {name} is {status}: it cannot take payments.",
    },
    "heartbeat_ok": {
        "fr": "En ligne : dernier signal il y a {ago}.",
        "en": "Online: last heartbeat {ago} ago.",
    },
    "heartbeat_never": {
        "fr": "Le terminal n'a jamais envoyé de signal : vérifiez qu'il est allumé, "
        "connecté au réseau et paramétré.",
        "en": "The terminal never sent a heartbeat: check it is switched on, connected "
        "and configured.",
    },
    "heartbeat_stale": {
        "fr": "Hors ligne : dernier signal il y a {ago} ({at}), attendu toutes les {interval} s. "
        "Vérifiez l'alimentation et la connexion (Wi-Fi, 4G, Ethernet).",
        "en": "Offline: last heartbeat {ago} ago ({at}), expected every {interval} s. "
        "Check power and network (Wi-Fi, 4G, Ethernet).",
    },
    "options_not_applicable": {
        "fr": "Sans objet : un téléphone SoftPOS n'a pas de paramètres de terminal.",
        "en": "Not applicable: a SoftPOS phone has no terminal options.",
    },
    "options_none": {
        "fr": "Aucun paramétrage n'a été défini : le terminal garde ses réglages d'usine.",
        "en": "No options were set: the terminal keeps its factory settings.",
    },
    "options_applied": {
        "fr": "La version {version} des paramètres est appliquée sur le terminal.",
        "en": "Options version {version} is applied on the terminal.",
    },
    "options_pending": {
        "fr": "La version {version} des paramètres attend depuis {since} d'être téléchargée "
        "par le terminal (version appliquée : {applied}). Envoyez-lui la commande "
        "DOWNLOAD_PARAMETERS (sendTerminalCommand) ; s'il ne répond pas, la commande REBOOT.",
        "en": "Options version {version} has waited since {since} for the terminal to "
        "download it (applied version: {applied}). Send it the DOWNLOAD_PARAMETERS command "
        "(sendTerminalCommand); if it does not answer, the REBOOT command.",
    },
    "errors_none": {
        "fr": "Aucune erreur signalée sur 24 h.",
        "en": "No error reported over 24 h.",
    },
    "errors_some": {
        "fr": "{count} erreur(s) sur 24 h, la dernière : {code} {message} ({at}).",
        "en": "{count} error(s) over 24 h, the latest: {code} {message} ({at}).",
    },
    "declines_no_traffic": {
        "fr": "Aucune transaction sur 24 h.",
        "en": "No transaction over 24 h.",
    },
    "declines_too_few": {
        "fr": "{declined} refus sur {total} transactions : trop peu pour juger.",
        "en": "{declined} declines out of {total} transactions: too few to judge.",
    },
    "declines_rate": {
        "fr": "{rate} % de refus ({declined} sur {total} transactions en 24 h).",
        "en": "{rate}% declined ({declined} of {total} transactions over 24 h).",
    },
    "codes_none": {
        "fr": "Aucun refus sur 24 h.",
        "en": "No decline over 24 h.",
    },
    "codes_issuer": {
        "fr": "Premier motif : {code} « {label} » ({count} fois) — refus côté carte ou banque "
        "du porteur, pas un problème du terminal.",
        "en": "Top reason: {code} \u201c{label}\u201d ({count} times) — declined on the "
        "card or issuer's side, not a terminal problem.",
    },
    "codes_ours": {
        "fr": "Premier motif : {code} « {label} » ({count} fois) — à traiter de notre côté "
        "(commerçant, terminal ou liaison technique).",
        "en": "Top reason: {code} \u201c{label}\u201d ({count} times) — to be handled on our "
        "side (merchant, terminal or technical link).",
    },
}
