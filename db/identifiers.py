"""Checks and builders for the identifiers of DESIGN §2: pure functions, no I/O.

- SIREN (9 digits) and SIRET (14 digits = SIREN + 5-digit NIC) carry a Luhn check digit, except
  La Poste's establishments (SIREN 356000000), whose SIRET digits add up to a multiple of 5.
- IBAN: ISO 13616, per-country length and the mod-97 check; French overseas departments and
  collectivities (Guadeloupe, Martinique, La Réunion, ...) use FR IBANs.
- French RIB key (clé RIB) to build FR IBANs; BIC (ISO 9362) structure.
- Card numbers: `looks_like_pan` spots a full PAN (which Spring refuses), `mask_pan` builds the
  at-most-first-6-and-last-4 form stored in transactions.
- Request ids (`request_id`): what the logs and the journal record of a request; never one that
  reads as a card number, whoever chose it.

The validators take identifiers in their stored, compact form (no spaces, upper case); use the
`normalize_*` helpers on user input first.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence

__all__ = [
    "IBAN_LENGTHS",
    "LA_POSTE_SIREN",
    "contains_pan",
    "find_pans",
    "iban_check_digits",
    "is_valid_bic",
    "is_valid_iban",
    "is_valid_siren",
    "is_valid_siret",
    "issued_lengths",
    "json_holds_pan",
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
    "redact_pans",
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


#: The rule for a card number in text (issue 12, item 5), in three parts:
#:
#: 1. Where: a *run* is digit groups (maximal runs of ASCII digits) joined by exactly one
#:    space or dash ("TPE A920 5351 1073 9224 3694" holds the run 920·5351·1073·9224·3694).
#:    A candidate is any sequence of whole consecutive groups of a run holding 13 to 19
#:    digits: people type a card number unbroken or in groups (4-4-4-4, Amex 4-6-5), and
#:    whatever they type before or after it (a model, a till number, a date) is separated
#:    from it, so its edges fall on group edges. Windows cutting through a group are not
#:    read: a long unbroken digit string (a reference, a compact IBAN's account number) would
#:    then almost always "hold" a Luhn-valid number somewhere and be refused for nothing.
#: 2. What: a candidate is a card number when it starts like a payment card issued today
#:    and has a length that brand issues (`issued_lengths`), and passes Luhn. Luhn alone
#:    would read one digit run in ten as a card; the issuer prefixes and lengths are what
#:    keeps dates ("2026-12-04"), SIRETs (14 Luhn-valid digits by design: no brand issues
#:    14-digit cards but Diners Club, printed 4-6-4, the one grouping a SIRET never has),
#:    phone numbers and references out.
#: 3. What is not text: a UUID, a hexadecimal id or hash of 32 characters or more, an
#:    IBAN-shaped value (country code, check digits, the country's length) and an E.164
#:    phone number (`+` and at most 15 digits) are identifiers; their digits are not read.
#:
#: Known misses, accepted: a card number glued to other digits with no separator
#: ("20261204535110739224369 4"), 12- to 15-digit Maestro and 14-digit Diners numbers
#: written unbroken (read as a SIRET). Known false alarms, rare: two numbers typed one
#: space apart whose groups happen to form a Luhn-valid, card-like 16 to 19 digits.

_LENGTHS_16_19 = (16, 17, 18, 19)


def issued_lengths(digits: str) -> tuple[int, ...]:
    """The lengths of the payment cards whose numbers start like `digits` (at least 4 digits),
    from their issuer identification numbers (IIN, ISO/IEC 7812); () when no card does.

    Visa 4 (13, 16, 19); Mastercard 51-55 and 2221-2720 (16); Mir 2200-2204; Amex 34, 37
    (15); JCB 3528-3589; Diners Club 300-305, 3095, 36, 38, 39 (14 as printed 4-6-4, or
    16-19); Discover, UnionPay, Maestro, RuPay, Verve: 50, 56-69, 81, 82 (16-19). French CB
    cards are co-badged Visa or Mastercard.
    """
    if len(digits) < 4 or not digits[:4].isdigit():
        return ()
    first, two, four = digits[0], int(digits[:2]), int(digits[:4])
    if first == "4":
        return (13, 16, 19)
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return (16,)
    if two in (34, 37):
        return (15,)
    if 2200 <= four <= 2204 or 3528 <= four <= 3589:
        return _LENGTHS_16_19
    if 300 <= four // 10 <= 305 or four == 3095 or two in (36, 38, 39):
        return (14, *_LENGTHS_16_19)
    if two == 50 or 56 <= two <= 69 or two in (81, 82):
        return _LENGTHS_16_19
    return ()


#: Deletes the ASCII digits: what is left tells how many a text has.
_NO_DIGITS = str.maketrans("", "", "0123456789")


def may_contain_pan(text: str) -> bool:
    """False when `text` cannot hold a card number: it has fewer than 13 ASCII digits (a PAN
    has 13 to 19 and only ASCII digits pass the Luhn check here). A cheap first test that
    spares the separators, digit runs and Luhn sums of the full checks for ordinary ids
    (an external id, a masked PAN's 10 digits)."""
    return len(text) >= 13 and len(text) - len(text.translate(_NO_DIGITS)) >= 13


def _is_card(digits: str, groups: Sequence[int]) -> bool:
    """`digits` (13 to 19 of them, typed in groups of the lengths `groups`) is a card number."""
    lengths = issued_lengths(digits)
    if len(digits) not in lengths:
        return False
    if len(digits) == 14 and tuple(groups) != (4, 6, 4):
        return False  # a SIRET (Diners Club prints its 14 digits 4-6-4)
    return luhn_valid(digits)


def looks_like_pan(s: str) -> bool:
    """True when `s` as a whole, spaces and dashes ignored, is a card number: 13 to 19 digits
    of a length the brand its first digits name issues, passing Luhn. A 14-digit number is
    a card only when grouped 4-6-4 (Diners Club); unbroken it is a SIRET."""
    groups = [g for g in re.split(r"[\s\-]", s.strip()) if g]
    compact = "".join(groups)
    return (
        13 <= len(compact) <= 19
        and compact.isascii()
        and compact.isdigit()
        and _is_card(compact, [len(g) for g in groups])
    )


#: Digit groups joined by exactly one separator: a space (any Unicode space a word processor
#: puts between digit groups) or a dash (any of the hyphens and dashes).
_SEPARATOR = "[ \u00a0\u2007\u2009\u202f\\-\u2010-\u2013]"
_RUN = re.compile(f"[0-9]+(?:{_SEPARATOR}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
_UUID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9a-fA-F])"
)
_LONG_HEX = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])")
_IBAN_START = re.compile(r"(?<![0-9A-Za-z])([A-Za-z]{2})[0-9]{2}")
_PHONE_PLUS = "+"
_E164_MAX_DIGITS = 15


def _iban_end(text: str, start: int, length: int) -> int | None:
    """Where the IBAN-shaped value of `length` characters starting at `start` ends (single
    spaces allowed between characters, followed by no letter or digit), or None."""
    count, i, n = 0, start, len(text)
    while i < n and count < length:
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            count += 1
            i += 1
        elif ch == " " and count and i + 1 < n and text[i + 1].isascii() and text[i + 1].isalnum():
            i += 1
        else:
            break
    if count != length or (i < n and text[i].isascii() and text[i].isalnum()):
        return None
    return i


def _identifiers_blanked(text: str) -> str:
    """`text` with its UUIDs, long hexadecimal ids and IBAN-shaped values replaced by `_`
    (same length, so positions still match)."""
    chars: list[str] | None = None
    spans = [m.span() for m in _UUID.finditer(text)]
    spans += [m.span() for m in _LONG_HEX.finditer(text)]
    for m in _IBAN_START.finditer(text):
        length = IBAN_LENGTHS.get(m.group(1).upper())
        end = _iban_end(text, m.start(), length) if length else None
        if end is not None:
            spans.append((m.start(), end))
    for start, end in spans:
        if chars is None:
            chars = list(text)
        chars[start:end] = "_" * (end - start)
    return text if chars is None else "".join(chars)


def find_pans(text: str) -> list[tuple[int, int]]:
    """The spans of `text` that are card numbers under the rule above, in order (they may
    overlap: a run can hold several candidates)."""
    if not may_contain_pan(text):
        return []
    scanned = _identifiers_blanked(text)
    found: list[tuple[int, int]] = []
    for run in _RUN.finditer(scanned):
        groups = [g.span() for g in _GROUP.finditer(run.group())]
        digits = sum(end - start for start, end in groups)
        if digits < 13:
            continue
        if run.start() > 0 and scanned[run.start() - 1] == _PHONE_PLUS:
            if digits <= _E164_MAX_DIGITS:
                continue  # an international phone number
        texts = [run.group()[start:end] for start, end in groups]
        for i in range(len(groups)):
            number, sizes = "", []
            for j in range(i, len(groups)):
                number += texts[j]
                sizes.append(len(texts[j]))
                if len(number) > 19:
                    break
                if len(number) >= 13 and _is_card(number, sizes):
                    found.append((run.start() + groups[i][0], run.start() + groups[j][1]))
    return found


def contains_pan(text: str) -> bool:
    """True when text holds a card number under the rule above (`find_pans`).

    Identifier fields have their own validators (a SIRET, an IBAN); this is for every text.
    """
    return bool(find_pans(text))


def json_holds_pan(value: object) -> bool:
    """A card number anywhere in a JSON-like value: in a key, a string or a number (walked
    without recursion, so no depth makes it fail)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                if contains_pan(str(key)):
                    return True
                stack.append(child)
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, str):
            if contains_pan(item):
                return True
        elif isinstance(item, int | float) and not isinstance(item, bool):
            if contains_pan(str(item)):
                return True
    return False


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
    """The text with every card number in it (`find_pans`) masked: of each, the first 6 and
    the last 4 digits are kept, compact ("535110******3694").

    For messages and logs: a client's mistake (a PAN in the wrong field) must not be
    written to a log or echoed in an error.
    """
    for _ in range(3):
        spans = find_pans(text)
        if not spans:
            return text
        text = _mask_spans(text, spans, keep=True)
    # Masked numbers can line up with their neighbours again: hide every digit left.
    return _mask_spans(text, find_pans(text), keep=False)


def _mask_spans(text: str, spans: list[tuple[int, int]], *, keep: bool) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        digits = "".join(ch for ch in text[start:end] if "0" <= ch <= "9")
        masked = digits[:6] + "*" * (len(digits) - 10) + digits[-4:] if keep else "*" * len(digits)
        parts += [text[last:start], masked]
        last = end
    parts.append(text[last:])
    return "".join(parts)


#: What a caller may send as X-Request-Id (then logged and journaled as is).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id(
    incoming: str | None = None,
    *,
    prefix: str = "",
    bits: int = 128,
    randbits: Callable[[int], int] = secrets.randbits,
) -> str:
    """The id of a request: the caller's `incoming` one when well-formed, else a new random
    one (`prefix` + `bits` of hex). Neither is ever a string holding a card number: random hex
    has a run of 13 Luhn-valid digits about once in 100,000 draws, and that id would land in
    the log and the journal, which must hold none (a caller's such id is replaced)."""
    if incoming and REQUEST_ID.match(incoming) and not contains_pan(incoming):
        return incoming
    width = (bits + 3) // 4
    while True:
        candidate = f"{prefix}{randbits(bits):0{width}x}"
        if not contains_pan(candidate):
            return candidate
