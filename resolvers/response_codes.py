"""The ISO 8583 (field 39) response code dictionary used by transactions and diagnosis."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ResponseCategory(enum.StrEnum):
    APPROVED = "APPROVED"
    DECLINED_BY_ISSUER = "DECLINED_BY_ISSUER"
    CARD_PROBLEM = "CARD_PROBLEM"
    SUSPECTED_FRAUD = "SUSPECTED_FRAUD"
    MERCHANT_OR_TERMINAL = "MERCHANT_OR_TERMINAL"
    TECHNICAL = "TECHNICAL"


@dataclass(frozen=True, slots=True)
class ResponseCode:
    code: str
    label_en: str
    label_fr: str
    category: ResponseCategory
    #: Whether trying again later may succeed (technical or temporary refusals).
    retryable: bool = False


C = ResponseCategory
_CODES = [
    ResponseCode("00", "Approved", "Transaction approuvée", C.APPROVED),
    ResponseCode(
        "01", "Refer to card issuer", "Contacter l'émetteur de la carte", C.DECLINED_BY_ISSUER
    ),
    ResponseCode("03", "Invalid merchant", "Commerçant invalide", C.MERCHANT_OR_TERMINAL),
    ResponseCode("04", "Pick up card", "Capturer la carte", C.SUSPECTED_FRAUD),
    ResponseCode("05", "Do not honour", "Ne pas honorer", C.DECLINED_BY_ISSUER),
    ResponseCode("12", "Invalid transaction", "Transaction invalide", C.DECLINED_BY_ISSUER),
    ResponseCode("13", "Invalid amount", "Montant invalide", C.DECLINED_BY_ISSUER),
    ResponseCode("14", "Invalid card number", "Numéro de carte invalide", C.CARD_PROBLEM),
    ResponseCode("30", "Format error", "Erreur de format", C.TECHNICAL, retryable=True),
    ResponseCode("33", "Expired card (pick up)", "Carte expirée (à capturer)", C.CARD_PROBLEM),
    ResponseCode("41", "Lost card", "Carte perdue", C.SUSPECTED_FRAUD),
    ResponseCode("43", "Stolen card", "Carte volée", C.SUSPECTED_FRAUD),
    ResponseCode("51", "Insufficient funds", "Provision insuffisante", C.DECLINED_BY_ISSUER, True),
    ResponseCode("54", "Expired card", "Carte expirée", C.CARD_PROBLEM),
    ResponseCode("55", "Incorrect PIN", "Code confidentiel erroné", C.CARD_PROBLEM, retryable=True),
    ResponseCode(
        "57",
        "Transaction not permitted to cardholder",
        "Transaction non permise au porteur",
        C.DECLINED_BY_ISSUER,
    ),
    ResponseCode(
        "58",
        "Transaction not permitted to terminal",
        "Transaction non permise au terminal",
        C.MERCHANT_OR_TERMINAL,
    ),
    ResponseCode("59", "Suspected fraud", "Suspicion de fraude", C.SUSPECTED_FRAUD),
    ResponseCode(
        "61", "Exceeds withdrawal amount limit", "Plafond dépassé", C.DECLINED_BY_ISSUER, True
    ),
    ResponseCode("62", "Restricted card", "Carte restreinte", C.CARD_PROBLEM),
    ResponseCode("63", "Security violation", "Violation de sécurité", C.SUSPECTED_FRAUD),
    ResponseCode(
        "65",
        "Exceeds withdrawal frequency limit",
        "Nombre d'opérations dépassé",
        C.DECLINED_BY_ISSUER,
        True,
    ),
    ResponseCode(
        "68", "Response received too late", "Réponse reçue trop tard", C.TECHNICAL, retryable=True
    ),
    ResponseCode("75", "PIN tries exceeded", "Nombre d'essais du code dépassé", C.CARD_PROBLEM),
    ResponseCode(
        "91", "Issuer or switch inoperative", "Émetteur indisponible", C.TECHNICAL, retryable=True
    ),
    ResponseCode("94", "Duplicate transmission", "Transaction en double", C.TECHNICAL),
    ResponseCode(
        "96", "System malfunction", "Dysfonctionnement du système", C.TECHNICAL, retryable=True
    ),
    ResponseCode(
        "A1",
        "Strong customer authentication required",
        "Authentification forte requise",
        C.DECLINED_BY_ISSUER,
        True,
    ),
]

RESPONSE_CODES: dict[str, ResponseCode] = {c.code: c for c in _CODES}

#: The code recorded when a blocked service or terminal, or a suspended contract, sends a
#: transaction: it is stored DECLINED with this code, whatever the input said.
BLOCKED_MERCHANT_CODE = "58"


def describe(code: str | None) -> ResponseCode | None:
    return RESPONSE_CODES.get(code) if code else None


def all_codes() -> list[ResponseCode]:
    return list(_CODES)
