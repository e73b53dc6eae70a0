"""Identifier checks (db.identifiers) against known-good and known-bad values."""

from __future__ import annotations

import re

import pytest

from db.identifiers import (
    contains_pan,
    is_valid_bic,
    is_valid_iban,
    is_valid_siren,
    is_valid_siret,
    looks_like_pan,
    luhn_check_digit,
    luhn_valid,
    make_french_iban,
    make_siren,
    make_siret,
    mask_pan,
    normalize_iban,
    redact_pans,
    request_id,
    rib_key,
)

#: The CHECK constraint on transactions.masked_pan.
MASKED_PAN_CHECK = re.compile(r"^[0-9]{0,6}[*X]{2,9}[0-9]{0,4}$")


def test_luhn() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert luhn_check_digit("7992739871") == "3"
    assert not luhn_valid("")
    assert not luhn_valid("7992 7398 713")
    assert not luhn_valid("12a4")
    with pytest.raises(ValueError):
        luhn_check_digit("12a")


@pytest.mark.parametrize("siren", ["732829320", "356000000", make_siren("97100123")])
def test_valid_siren(siren: str) -> None:
    assert is_valid_siren(siren)


@pytest.mark.parametrize("siren", ["732829321", "73282932", "7328293200", "73282932A", ""])
def test_invalid_siren(siren: str) -> None:
    assert not is_valid_siren(siren)


def test_make_siren_and_siret() -> None:
    assert make_siren("73282932") == "732829320"
    assert make_siret("732829320", "0007") == "73282932000074"
    with pytest.raises(ValueError):
        make_siren("7328293")
    with pytest.raises(ValueError):
        make_siret("732829321", "0007")
    with pytest.raises(ValueError):
        make_siret("732829320", "007")


def test_siret() -> None:
    assert is_valid_siret("73282932000074")
    assert is_valid_siret("73282932000074", siren="732829320")
    assert not is_valid_siret("73282932000074", siren="552100554")
    assert not is_valid_siret("73282932000075")
    assert not is_valid_siret("7328293200007")
    assert not is_valid_siret("7328293200007A")
    # La Poste: the head office passes Luhn, other establishments have a digit sum % 5 == 0.
    assert is_valid_siret("35600000000048", siren="356000000")
    assert is_valid_siret("35600000049837")
    assert not luhn_valid("35600000049837")
    assert not is_valid_siret("35600000049838")


@pytest.mark.parametrize(
    "iban",
    [
        "FR7630006000011234567890189",
        "FR1420041010050500013M02606",  # the ECBS example, letters in the account number
        "GB82WEST12345698765432",
        "DE89370400440532013000",
        "NL91ABNA0417164300",
        "BE68539007547034",
        "CH9300762011623852957",
        "NO9386011117947",
        "MC5811222000010123456789030",
    ],
)
def test_valid_iban(iban: str) -> None:
    assert is_valid_iban(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "FR7630006000011234567890188",  # wrong check
        "FR763000600001123456789018",  # too short for FR
        "FR76300060000112345678901890",  # too long for FR
        "GP7630006000011234567890189",  # overseas departments use FR
        "XX7630006000011234567890189",  # no such country
        "fr7630006000011234567890189",  # not normalized
        "FR76 3000 6000 0112 3456 7890 189",  # not normalized
        "",
    ],
)
def test_invalid_iban(iban: str) -> None:
    assert not is_valid_iban(iban)


def test_normalize_iban() -> None:
    assert normalize_iban("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"
    assert is_valid_iban(normalize_iban("FR76-3000-6000-0112-3456-7890-189"))


def test_french_iban_from_rib() -> None:
    assert rib_key("30006", "00001", "12345678901") == "89"
    assert make_french_iban("30006", "00001", "12345678901") == "FR7630006000011234567890189"
    assert make_french_iban("20041", "01005", "0500013M026") == "FR1420041010050500013M02606"
    with pytest.raises(ValueError):
        rib_key("3000", "00001", "12345678901")
    with pytest.raises(ValueError):
        rib_key("3000A", "00001", "12345678901")


@pytest.mark.parametrize("bic", ["BNPAFRPP", "BNPAFRPPXXX", "AGRIGPGX", "BFCORERX", "SOGEFRPP"])
def test_valid_bic(bic: str) -> None:
    assert is_valid_bic(bic)


@pytest.mark.parametrize("bic", ["BNPAFRP", "BNPAFRPPXX", "bnpafrpp", "1NPAFRPP", "BNPA FRPP", ""])
def test_invalid_bic(bic: str) -> None:
    assert not is_valid_bic(bic)


def test_pan_detection() -> None:
    assert luhn_valid("4970101234567893")
    assert looks_like_pan("4970101234567893")
    assert looks_like_pan("4970 1012 3456 7893")
    assert looks_like_pan("4970-1012-3456-7893")
    assert looks_like_pan("378282246310005")  # 15-digit Amex test number
    assert not looks_like_pan("4970101234567899")  # fails Luhn
    assert not looks_like_pan("497010123456")  # 12 digits
    assert not looks_like_pan("49701012345678930000")  # 20 digits
    assert not looks_like_pan("497010******7893")
    assert not looks_like_pan("4970x101234567893")
    assert not looks_like_pan("9970101234567892")  # Luhn-valid, but no card starts with 9
    assert contains_pan("Carte 4970 1012 3456 7893 refusée")
    assert not contains_pan("SIREN 732829320, tél. +590690123456, montant 1234,56")


#: A Mastercard number (Luhn-valid, 16 digits) and what it looks like masked.
MC = "5351 1073 9224 3694"
MC_MASKED = "535110******3694"


@pytest.mark.parametrize(
    "text",
    [
        f"TPE A920 {MC}",  # the model's digits run into the card number
        f"caisse 2 {MC}",  # a till number before it
        "TPE A920 5351-1073-9224-3694",
        "5351107392243694-20261204",  # a date after it
        f"{MC} 12 27 123",  # expiry and CVV after it
        f"{MC}\u00a0ok",  # a word processor's no-break spaces
        "5351\u202f1073\u202f9224\u202f3694",
        "3782 822463 10005",  # Amex, 4-6-5
        "ref 3056 930902 5904",  # Diners Club's 14 digits, printed 4-6-4
        "4970-1012-3456-7893",
        "tx-4970101234567893",
        "visa 4222222222222",  # 13-digit Visa
        "carte 6011 1111 1111 1117 refusée",  # Discover
        "2223 0031 2200 3222",  # Mastercard 2-series
    ],
)
def test_a_card_number_inside_a_longer_run_of_digits_is_found(text: str) -> None:
    assert contains_pan(text)
    masked = redact_pans(text)
    assert not contains_pan(masked), masked
    assert "***" in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        "SIRET 73282932000074",  # 14 Luhn-valid digits by design
        "SIRET 44306184100047",  # ... starting like a Visa card
        "SIRET 443 061 841 00047",
        "44306184100047 44306184100054",  # two of them
        "le 2026-12-24 et le 2027-01-02, 2026-12-04T10:30:00Z",
        "04/12/2026 10:30, le 04.12.2026",
        "tél. +590690123456, +590 690 12 34 56, 0690 12 34 56, +4915112345678",
        "8d6ea31c-63d8-4361-8d85-f3655092c5c8 12345678-1234-4234-9234-123456789012",
        "sha256 " + "4" * 40 + "abcdef0123456789abcdef01",
        "IBAN FR76 3000 6000 0112 3456 7890 189, FR7630006000011234567890189",
        "AS12A345-D20261204-N000123, SIM-ABCDEF-3K7Q2",
        "9970101234567892",  # Luhn-valid, but no card starts with 9
        "4970101234567899",  # fails Luhn
        "montant 1 234,56 EUR, 12 x 3,50",
        "497010******7893",
        "5351107392243694123",  # 19 digits (no card of that brand is that long)
    ],
)
def test_ordinary_text_holds_no_card_number(text: str) -> None:
    assert not contains_pan(text)
    assert redact_pans(text) == text


def test_redaction_masks_every_card_number_and_keeps_the_rest() -> None:
    assert redact_pans(f"TPE A920 {MC}") == f"TPE A920 {MC_MASKED}"
    assert redact_pans(f"a {MC} b 4970-1012-3456-7893 c") == f"a {MC_MASKED} b 497010******7893 c"
    # Masked numbers next to more digits: whatever lines up again is hidden too.
    text = f"{MC} 3694 1234 5678"
    assert not contains_pan(redact_pans(text))


def test_mask_pan() -> None:
    assert mask_pan("497010", "1234") == "497010******1234"
    assert mask_pan("497010", "1234", length=19) == "497010*********1234"
    assert mask_pan("378282", "0005", length=15) == "378282*****0005"
    for length in range(12, 20):
        masked = mask_pan("513283", "0042", length=length)
        assert len(masked) == length
        assert MASKED_PAN_CHECK.match(masked)
        assert not looks_like_pan(masked)
    for bad in (("49701", "1234", 16), ("497010", "123", 16), ("497010", "1234", 20)):
        with pytest.raises(ValueError):
            mask_pan(*bad)


def test_a_new_request_id_never_reads_as_a_card_number() -> None:
    """The CI run of 2026-12-05 failed on a demo journal entry whose random request id,
    `req-de4665864682345b`, held 13 Luhn-valid digits: a draw like that is drawn again."""
    draws = iter([0xDE4665864682345B, 0xABCDEF0123456789])
    assert contains_pan("req-de4665864682345b")
    assert request_id(prefix="req-", bits=64, randbits=lambda bits: next(draws)) == (
        "req-abcdef0123456789"
    )
    assert len(request_id()) == 32 and not contains_pan(request_id())


def test_a_callers_request_id_is_kept_unless_malformed_or_a_card_number() -> None:
    assert request_id("ops-request-000001") == "ops-request-000001"
    for refused in ("short", "with space in it", "req-4111111111111111", "x" * 65):
        replaced = request_id(refused)
        assert replaced != refused and len(replaced) == 32
