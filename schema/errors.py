"""`UserError`, the error type of every mutation payload (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from resolvers.errors import UserErrorCode as _UserErrorCode
from resolvers.errors import UserErrorData
from schema.descriptions import described_enum

UserErrorCode = described_enum(
    _UserErrorCode,
    name="UserErrorCode",
    description="Why a mutation's input was refused (the `message` says it in the caller's "
    "language).",
    values={
        "INVALID": "The value is not acceptable for this field (format, length or content).",
        "REQUIRED": "A required value is missing or blank.",
        "INVALID_CREDENTIALS": "Wrong e-mail or password, or a refresh token that is not valid.",
        "ACCOUNT_DISABLED": "The account is deactivated: it cannot sign in.",
        "AMBIGUOUS_ACCOUNT": "The e-mail has an account in several tenants: name the tenant.",
        "NOT_FOUND": "The object named does not exist, or the caller may not see it.",
        "DUPLICATE": "Another object already has this value (an e-mail, a SIREN, a SIRET, a "
        "TID...).",
        "INVALID_TRANSITION": "The object's current state does not allow this change "
        "(docs/lifecycles.md).",
        "NOT_YOURS": "The request is someone else's to close or cancel (its assignee's, its "
        "author's).",
        "CONFLICT": "Someone changed the object since you read it (`expectedVersion` is stale): "
        "reload, then retry.",
        "INVALID_SIREN": "Not a SIREN: 9 digits passing the Luhn check.",
        "INVALID_SIRET": "Not a SIRET: 14 digits passing the Luhn check, starting with the "
        "company's SIREN.",
        "INVALID_IBAN": "Not an IBAN (country, check digits, mod-97).",
        "INVALID_BIC": "Not a BIC (8 or 11 characters).",
        "INVALID_EMAIL": "Not an e-mail address.",
        "INVALID_PHONE": "Not a phone number in E.164 form (for example +33612345678).",
        "INVALID_MCC": "Not a merchant category code (4 digits, ISO 18245).",
        "INVALID_CURRENCY": "Not an ISO 4217 currency code Spring accepts here.",
        "CARD_DATA_REFUSED": "The value looks like a full card number: card data is never "
        "accepted (PCI DSS).",
        "OUT_OF_RANGE": "A number, amount or time outside the accepted range.",
        "TOO_MANY": "Too many items in one input (the message gives the maximum).",
        "INVALID_REFERENCE": "A global ID that is malformed or names the wrong kind of object.",
        "EXPIRED": "A code or session that has expired (an activation code, a refresh token).",
        "TOO_MANY_ATTEMPTS": "Too many failed attempts: wait before trying again.",
        "WEAK_PASSWORD": "The new password is too short, too common or too close to the "
        "account's details.",
    },
)


@strawberry.type(description="A business error: what input it concerns, a code, and a message.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field concerned, e.g. `["input", "siren"]`.'
    )
    code: UserErrorCode = strawberry.field(
        description="What is wrong, for programs: stable, whatever the language."
    )
    message: str = strawberry.field(
        description="What is wrong, for people: in the caller's language (the account's "
        "choice, else Accept-Language; French by default)."
    )

    @classmethod
    def from_data(cls, data: UserErrorData) -> UserError:
        return cls(
            field=list(data.field) if data.field is not None else None,
            code=data.code,
            message=data.message,
        )


def user_errors(errors: Iterable[UserErrorData]) -> list[UserError]:
    return [UserError.from_data(e) for e in errors]


@strawberry.type(
    description="The answer of a read-only check of a mutation's input (`validateCompany`, "
    "`validateShop`): what the mutation would refuse, with nothing written."
)
class InputCheck:
    valid: bool = strawberry.field(
        description="True when the mutation would accept this input now (submitting it may "
        "still be refused if something changes meanwhile, e.g. another merchant takes the "
        "SIREN)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="The user errors the mutation would answer (field path, code, message in "
        "the caller's language); empty when `valid`."
    )

    @classmethod
    def of(cls, errors: list[UserError]) -> InputCheck:
        return cls(valid=not errors, user_errors=errors)
