"""Checks and builders for the identifiers of DESIGN §2: pure functions, no I/O.

- SIREN (9 digits) and SIRET (14 digits = SIREN + 5-digit NIC) carry a Luhn check digit, except
  La Poste's establishments (SIREN 356000000), whose SIRET digits add up to a multiple of 5.
- IBAN: ISO 13616, per-country length and the mod-97 check; French overseas departments and
  collectivities (Guadeloupe, Martinique, La Réunion, ...) use FR IBANs.
- French RIB key (clé RIB) to build FR IBANs; BIC (ISO 9362) structure.
- Card numbers: `looks_like_pan` spots a full PAN (which Spring refuses), `mask_pan` builds the
  at-most-first-6-and-last-4 form stored in transactions.

The validators take identifiers in their stored, compact form (no spaces, upper case); use the
`normalize_*` helpers on user input first.
"""

from __future__ import annotations

import re

__all__ = [
    "IBAN_LENGTHS",
    "LA_POSTE_SIREN",
    "contains_pan",
    "iban_check_digits",
    "is_valid_bic",
    "is_valid_iban",
    "is_valid_siren",
    "is_valid_siret",
    "looks_like_pan",
    "luhn_check_digit",
    "luhn_valid",
    "make_french_iban",
    "make_siren",
    "make_siret",
    "mask_pan",
    "may_contain_pan",
    "normalize_iban",
    "normalize_identifier",
    "rib_key",
]

_DIGITS = re.compile(r"^[0-9]+$")
_SEPARATORS = re.compile(r"[\s\-.]")

#: SIREN of La Poste: its SIRETs do not follow Luhn (their digits sum to a multiple of 5).
LA_POSTE_SIREN = "356000000"

#: IBAN length per country (SWIFT IBAN registry). French overseas territories use FR.
IBAN_LENGTHS: dict[str, int] = {
    # EU and EEA
    "AT": 20,
    "BE": 16,
    "BG": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "EE": 20,
    "ES": 24,
    "FI": 18,
    "FR": 27,
    "GR": 27,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IS": 26,
    "IT": 27,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MT": 31,
    "NL": 18,
    "NO": 15,
    "PL": 28,
    "PT": 25,
    "RO": 24,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    # SEPA members outside the EEA, and other European registry countries
    "AD": 24,
    "AL": 28,
    "BA": 20,
    "CH": 21,
    "FO": 18,
    "GB": 22,
    "GI": 23,
    "GL": 18,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "RS": 22,
    "SM": 27,
    "UA": 29,
    "VA": 22,
    "XK": 20,
    # frequent elsewhere
    "AE": 23,
    "AZ": 28,
    "BH": 22,
    "BR": 29,
    "CR": 22,
    "DO": 28,
    "GE": 22,
    "GT": 28,
    "IL": 23,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "MR": 27,
    "MU": 30,
    "PK": 24,
    "PS": 29,
    "QA": 29,
    "SA": 24,
    "TN": 24,
    "TR": 26,
    "VG": 24,
}

_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")

# RIB key: letters of an account number stand for digits (A/J → 1, B/K/S → 2, ...).
_RIB_LETTERS = {
    **dict.fromkeys("AJ", "1"),
    **dict.fromkeys("BKS", "2"),
    **dict.fromkeys("CLT", "3"),
    **dict.fromkeys("DMU", "4"),
    **dict.fromkeys("ENV", "5"),
    **dict.fromkeys("FOW", "6"),
    **dict.fromkeys("GPX", "7"),
    **dict.fromkeys("HQY", "8"),
    **dict.fromkeys("IRZ", "9"),
}


# --------------------------------------------------------------------------- Luhn


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total


def luhn_valid(digits: str) -> bool:
    """True when `digits` (only 0-9, at least 2 of them) passes the Luhn (mod 10) check."""
    if len(digits) < 2 or not _DIGITS.match(digits):
        return False
    return _luhn_sum(digits) % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit that, appended to `partial`, makes a Luhn-valid number."""
    if not _DIGITS.match(partial):
        raise ValueError("luhn_check_digit expects digits only")
    return str((10 - _luhn_sum(partial + "0") % 10) % 10)


def normalize_identifier(s: str) -> str:
    """Drop spaces, dashes and dots and upper-case: '732 829 320' → '732829320'."""
    return _SEPARATORS.sub("", s).upper()


# --------------------------------------------------------------------------- SIREN / SIRET


def is_valid_siren(s: str) -> bool:
    """A SIREN: exactly 9 digits passing Luhn (La Poste's 356000000 does)."""
    return len(s) == 9 and luhn_valid(s)


def is_valid_siret(s: str, siren: str | None = None) -> bool:
    """A SIRET: 14 digits passing Luhn, or La Poste's rule; starts with `siren` when given."""
    if len(s) != 14 or not _DIGITS.match(s):
        return False
    if siren is not None and not s.startswith(siren):
        return False
    if s.startswith(LA_POSTE_SIREN):
        # La Poste numbers its thousands of establishments past what Luhn allows; the head
        # office (35600000000048) passes Luhn, the others have a digit sum divisible by 5.
        return luhn_valid(s) or sum(int(c) for c in s) % 5 == 0
    return luhn_valid(s)


def make_siren(prefix8: str) -> str:
    """A valid SIREN from its first 8 digits (the Luhn key is appended)."""
    if len(prefix8) != 8 or not _DIGITS.match(prefix8):
        raise ValueError("make_siren expects 8 digits")
    return prefix8 + luhn_check_digit(prefix8)


def make_siret(siren: str, nic4: str) -> str:
    """A valid SIRET: the SIREN, 4 digits of NIC and the Luhn key (the NIC's 5th digit)."""
    if not is_valid_siren(siren):
        raise ValueError(f"not a valid SIREN: {siren!r}")
    if len(nic4) != 4 or not _DIGITS.match(nic4):
        raise ValueError("make_siret expects 4 NIC digits")
    partial = siren + nic4
    return partial + luhn_check_digit(partial)


# --------------------------------------------------------------------------- IBAN / RIB / BIC


def normalize_iban(s: str) -> str:
    """The electronic form of an IBAN: no spaces or dashes, upper case."""
    return normalize_identifier(s)


def _iban_numeric(s: str) -> int:
    """ISO 7064 conversion: letters A..Z become 10..35."""
    return int("".join(str(int(ch, 36)) for ch in s))


def is_valid_iban(s: str) -> bool:
    """An IBAN in electronic form with the right length for its country and mod 97 = 1."""
    if not _IBAN_SHAPE.match(s):
        return False
    expected = IBAN_LENGTHS.get(s[:2])
    if expected is None or len(s) != expected:
        return False
    if s[2:4] in ("00", "01", "99"):
        return False
    return _iban_numeric(s[4:] + s[:4]) % 97 == 1


def iban_check_digits(country: str, bban: str) -> str:
    """The two check digits of the IBAN made of `country` and `bban`."""
    return f"{98 - _iban_numeric(bban + country + '00') % 97:02d}"


def rib_key(bank5: str, branch5: str, account11: str) -> str:
    """The French RIB key (clé RIB) of a bank code, branch code and account number."""
    if len(bank5) != 5 or len(branch5) != 5 or len(account11) != 11:
        raise ValueError("a RIB is 5 bank digits, 5 branch digits and 11 account characters")
    account = "".join(_RIB_LETTERS.get(ch, ch) for ch in account11.upper())
    if not (_DIGITS.match(bank5) and _DIGITS.match(branch5) and _DIGITS.match(account)):
        raise ValueError("bank and branch codes are digits; the account is digits or letters")
    key = 97 - (89 * int(bank5) + 15 * int(branch5) + 3 * int(account)) % 97
    return f"{key:02d}"


def make_french_iban(bank5: str, branch5: str, account11: str) -> str:
    """A valid FR IBAN for a RIB (bank code, branch code, account number), RIB key included."""
    bban = bank5 + branch5 + account11.upper() + rib_key(bank5, branch5, account11)
    return "FR" + iban_check_digits("FR", bban) + bban


def is_valid_bic(s: str) -> bool:
    """A BIC (ISO 9362): 4 letters bank, 2 letters country, 2 location, optional 3 branch."""
    return bool(_BIC.match(s))


# --------------------------------------------------------------------------- card numbers


#: First digits of card numbers (ISO/IEC 7812 major industry identifiers of payment cards:
#: 2 Mastercard 2-series, 3 Amex/JCB/Diners, 4 Visa, 5 Mastercard/Maestro, 6 Discover/
#: Maestro/UnionPay). French CB cards are co-badged Visa or Mastercard.
CARD_FIRST_DIGITS = frozenset("23456")


#: At least 13 ASCII digits, anywhere: what every card number found below needs.
_THIRTEEN_DIGITS = re.compile(r"(?:[^0-9]*[0-9]){13}")


def may_contain_pan(text: str) -> bool:
    """False when `text` cannot hold a card number: it has fewer than 13 ASCII digits (a PAN
    has 13 to 19 and only ASCII digits pass the Luhn check here). A cheap first test that
    spares the separators, digit runs and Luhn sums of the full checks for ordinary ids
    (an external id, a masked PAN's 10 digits)."""
    return len(text) >= 13 and _THIRTEEN_DIGITS.match(text) is not None


def looks_like_pan(s: str) -> bool:
    """True when `s`, spaces and dashes ignored, is a card number: 13 to 19 digits starting
    like a payment card and passing Luhn. (A SIRET, 14 Luhn-valid digits, starts with the
    SIREN and so is seldom mistaken; the first-digit rule keeps identifiers such as 0- or
    9-led references from being refused.)"""
    compact = re.sub(r"[\s\-]", "", s)
    return (
        13 <= len(compact) <= 19
        and compact.isdigit()
        and compact[0] in CARD_FIRST_DIGITS
        and luhn_valid(compact)
    )


_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[ \-]?\d)+(?!\d)")


def contains_pan(text: str) -> bool:
    """True when free text holds a card number: a run of 13-19 digits (maybe spaced) passing Luhn.

    Note that a SIRET is also 14 Luhn-valid digits: check identifier fields with their own
    validators, and use this on free text (comments, descriptions).
    """
    return may_contain_pan(text) and any(
        looks_like_pan(m.group()) for m in _DIGIT_RUN.finditer(text)
    )


def mask_pan(bin6: str, last4: str, length: int = 16) -> str:
    """The stored form of a card number: first 6, '*' for the hidden middle, last 4.

    >>> mask_pan("497010", "1234")
    '497010******1234'
    """
    if len(bin6) != 6 or not _DIGITS.match(bin6):
        raise ValueError("mask_pan expects the 6-digit BIN")
    if len(last4) != 4 or not _DIGITS.match(last4):
        raise ValueError("mask_pan expects the last 4 digits")
    if not 12 <= length <= 19:
        raise ValueError("a card number has 12 to 19 digits")
    return bin6 + "*" * (length - 10) + last4


def redact_pans(text: str) -> str:
    """The text with every card number in it masked (first 6 and last 4 digits kept).

    For messages and logs: a client's mistake (a PAN in the wrong field) must not be
    written to a log or echoed in an error.
    """

    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"[\s\-]", "", match.group())
        if looks_like_pan(digits):
            return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
        return match.group()

    return _DIGIT_RUN.sub(mask, text)
