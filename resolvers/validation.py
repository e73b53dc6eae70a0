"""Input validation: every check names the input field and a code, in the caller's language.

Each method returns the normalised value (or None) and records a problem instead of raising,
so one answer lists every mistake of the input.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from db.identifiers import (
    contains_pan,
    is_valid_bic,
    is_valid_iban,
    is_valid_siren,
    is_valid_siret,
    normalize_iban,
    normalize_identifier,
)
from resolvers import localtime
from resolvers.errors import UserErrorCode as C
from resolvers.usecase import Problems
from tenancy import password_policy

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MCC = re.compile(r"^[0-9]{4}$")
TID = re.compile(r"^[A-Z0-9]{8}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
POSTAL = re.compile(r"^[A-Za-z0-9 -]{3,10}$")
#: Countries whose postal codes are the French five digits: France, its overseas departments
#: and collectivities (Guadeloupe 971.., Martinique 972.., Guyane 973.., La Réunion 974..,
#: Saint-Pierre-et-Miquelon 975.., Mayotte 976.., Saint-Barthélemy and Saint-Martin 971..,
#: Wallis-et-Futuna 986.., Polynésie 987.., Nouvelle-Calédonie 988..) and Monaco (980..).
FIVE_DIGIT_POSTAL = frozenset(
    {"FR", "GP", "MQ", "GF", "RE", "PM", "YT", "BL", "MF", "WF", "PF", "NC", "MC"}
)
FRENCH_POSTAL = re.compile(r"^[0-9]{5}$")
#: French overseas numbers written nationally (0590 12 34 56): the first 4 digits → the
#: country calling code (Guadeloupe, Saint-Martin and Saint-Barthélemy +590, Martinique +596,
#: Guyane +594, La Réunion and Mayotte +262, Saint-Pierre-et-Miquelon +508).
OVERSEAS_PREFIXES = {
    **dict.fromkeys(("0590", "0690", "0691"), "590"),
    **dict.fromkeys(("0596", "0696", "0697"), "596"),
    **dict.fromkeys(("0594", "0694"), "594"),
    **dict.fromkeys(("0262", "0263", "0692", "0693", "0269", "0639"), "262"),
    "0508": "508",
}


def e164_phone(value: str) -> str | None:
    """A phone number in E.164 (`+590590123456`) from any common French writing of it, or None.

    Spaces, dots, dashes, slashes and parentheses are ignored, as is a "(0)" after the country
    code; `00` starts an international number like `+`; a 10-digit national number starting
    with 0 is French: overseas departments by their prefix (0590 → +590 590...), else +33.
    """
    text = value.strip().replace("(0)", "")
    text = re.sub(r"[\s.()/-]", "", text)
    if text.startswith("00"):
        text = "+" + text[2:]
    elif re.fullmatch(r"0[1-9][0-9]{8}", text):
        code = OVERSEAS_PREFIXES.get(text[:4], "33")
        text = f"+{code}{text[1:]}"
    return text if E164.match(text) else None


HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")

#: ISO 4217 codes of currencies in use (active codes; funds and metals excluded).
ISO_4217 = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN
    BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP
    GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG""".split()
)

MAX_AMOUNT = 10**12  # minor units; above this an input is a mistake, not a payment


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in value)


class Validator(Problems):
    """Problems plus the checks of Spring's inputs."""

    def text(
        self,
        path: Sequence[str],
        value: str | None,
        *,
        required: bool = True,
        max_length: int = 200,
        multiline: bool = False,
    ) -> str | None:
        if value is None or not value.strip():
            if required:
                self.add(path, C.REQUIRED, "required")
            return None
        value = value.strip()
        if len(value) > max_length:
            self.add(path, C.INVALID, "too_long", max=max_length)
            return None
        if has_control_characters(value) or (not multiline and "\n" in value):
            self.add(path, C.INVALID, "control_characters")
            return None
        if contains_pan(value):
            self.add(path, C.CARD_DATA_REFUSED, "card_data")
            return None
        return value

    def siren(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None or not value.strip():  # blank: missing, as for any text
            self.add(path, C.REQUIRED, "required")
            return None
        normalized = normalize_identifier(value)
        if not is_valid_siren(normalized):
            self.add(path, C.INVALID_SIREN, "siren")
            return None
        return normalized

    def siret(self, path: Sequence[str], value: str | None, siren: str) -> str | None:
        if value is None or not value.strip():  # blank: missing, as for any text
            self.add(path, C.REQUIRED, "required")
            return None
        normalized = normalize_identifier(value)
        if not is_valid_siret(normalized, siren):
            self.add(path, C.INVALID_SIRET, "siret", siren=siren)
            return None
        return normalized

    def iban(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        normalized = normalize_iban(value)
        if not is_valid_iban(normalized):
            self.add(path, C.INVALID_IBAN, "iban")
            return None
        return normalized

    def bic(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        normalized = value.strip().upper()
        if not is_valid_bic(normalized):
            self.add(path, C.INVALID_BIC, "bic")
            return None
        return normalized

    def email(self, path: Sequence[str], value: str | None, *, required: bool = True) -> str | None:
        if value is None or not value.strip():
            if required:
                self.add(path, C.REQUIRED, "required")
            return None
        value = value.strip()
        if len(value) > 254 or not EMAIL.match(value):
            self.add(path, C.INVALID_EMAIL, "email")
            return None
        return value

    def phone(self, path: Sequence[str], value: str | None, *, required: bool = True) -> str | None:
        if value is None or not value.strip():
            if required:
                self.add(path, C.REQUIRED, "required")
            return None
        normalized = e164_phone(value)
        if normalized is None:
            self.add(path, C.INVALID_PHONE, "phone")
            return None
        return normalized

    def mcc(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None or not value.strip():  # blank: missing, as for any text
            self.add(path, C.REQUIRED, "required")
            return None
        if not MCC.match(value.strip()):
            self.add(path, C.INVALID_MCC, "mcc")
            return None
        return value.strip()

    def currency(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None:
            self.add(path, C.REQUIRED, "required")
            return None
        code = value.strip().upper()
        if code not in ISO_4217:
            self.add(path, C.INVALID_CURRENCY, "currency")
            return None
        return code

    def country(self, path: Sequence[str], value: str | None) -> str | None:
        code = (value or "FR").strip().upper()
        if not COUNTRY.match(code):
            self.add(path, C.INVALID, "country")
            return None
        return code

    def postal_code(
        self, path: Sequence[str], value: str | None, country: str | None = None
    ) -> str | None:
        """A postal code: five digits in France and its overseas territories (`country`, an
        ISO 3166 code already checked; spaces typed inside are dropped: "97 110" is 97110),
        3 to 10 letters, digits, spaces or dashes elsewhere."""
        if value is None or not value.strip():
            self.add(path, C.REQUIRED, "required")
            return None
        if country in FIVE_DIGIT_POSTAL:
            compact = "".join(value.split())
            if not FRENCH_POSTAL.match(compact):
                self.add(path, C.INVALID, "postal_code_fr")
                return None
            return compact
        if not POSTAL.match(value.strip()):
            self.add(path, C.INVALID, "postal_code")
            return None
        return value.strip()

    def amount(self, path: Sequence[str], value: int | None) -> int | None:
        if value is None:
            self.add(path, C.REQUIRED, "required")
            return None
        if value < 0 or value > MAX_AMOUNT:
            self.add(path, C.OUT_OF_RANGE, "amount")
            return None
        return value

    def bps(self, path: Sequence[str], value: int | None) -> int | None:
        if value is None:
            self.add(path, C.REQUIRED, "required")
            return None
        if not 0 <= value <= 10_000:
            self.add(path, C.OUT_OF_RANGE, "bps")
            return None
        return value

    def time_zone(self, path: Sequence[str], value: str | None) -> str | None:
        """An IANA zone name this machine knows (e.g. `America/Guadeloupe`)."""
        if value is None:
            return None
        name = value.strip()
        if not localtime.is_known_zone(name):
            self.add(path, C.INVALID, "time_zone")
            return None
        return name

    def settlement_time(self, path: Sequence[str], value: str | None) -> dt.time | None:
        if value is None:
            return None
        match = HHMM.match(value.strip())
        if not match:
            self.add(path, C.INVALID, "settlement_time")
            return None
        return dt.time(int(match.group(1)), int(match.group(2)))

    def language(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().lower()
        if not LANGUAGE.match(code):
            self.add(path, C.INVALID, "language")
            return None
        return code

    def tid(self, path: Sequence[str], value: str | None) -> str | None:
        if value is None:
            self.add(path, C.REQUIRED, "required")
            return None
        code = value.strip().upper()
        if not TID.match(code):
            self.add(path, C.INVALID, "tid")
            return None
        return code

    def reason(self, path: Sequence[str], value: str | None, *, required: bool) -> str | None:
        if value is None or not value.strip():
            if required:
                self.add(path, C.REQUIRED, "reason_required")
            return None
        return self.text(path, value, max_length=1000, multiline=True)

    def new_password(
        self,
        path: Sequence[str],
        value: str | None,
        *,
        email: str = "",
        full_name: str = "",
    ) -> str | None:
        """A password someone chooses (changePassword, createUser, updateUser, `spring user
        create`): the one rule of tenancy/password_policy.py (12 characters at least, not one
        of the common passwords, not the account's e-mail or name)."""
        found = password_policy.weakness(value or "", email=email or "", full_name=full_name or "")
        if found is None:
            return value
        short_or_long = (password_policy.Weakness.TOO_SHORT, password_policy.Weakness.TOO_LONG)
        code = C.INVALID if found in short_or_long else C.WEAK_PASSWORD
        self.add(
            path,
            code,
            found.value,
            min=password_policy.MIN_LENGTH,
            max=password_policy.MAX_LENGTH,
        )
        return None

    def future(self, path: Sequence[str], value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        if value <= dt.datetime.now(dt.UTC):
            self.add(path, C.INVALID, "until_past")
            return None
        return value
