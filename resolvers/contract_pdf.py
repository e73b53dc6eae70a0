"""The contract document as a PDF (ReportLab), from a snapshot of the contract's data.

`render(snapshot, language)` is a pure function: the same snapshot and language give the same
bytes (ReportLab's invariant mode fixes the creation date and the document id), so the sha256
of a contract document identifies its content. The snapshot is a JSON-like dict built by
resolvers/documents/snapshot.py (`contract_snapshot`); the IBAN in it is already as the reader
may see it (full, masked, or absent).

Kinds: CONTRACT (the draft as shown for signature), SIGNED_CONTRACT (the same pages and a
signature page), AMENDMENT (avenant: a fee schedule version after signature).

The tenant's logo, when the snapshot names one (`snapshot["logo"]`, its sha256), is drawn in
the top margin of the first page; its bytes are passed in (`logo`), loaded from the
content-addressed store by the caller, so a stored snapshot always draws the logo it was
made with.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

#: The acquirer whose contract this is.
ACQUIRER = "Monétik Pay"
#: The version of the general terms the contract refers to.
TERMS_VERSION = "CG-MP-2026.1"

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "CONTRACT": "Contrat d'acceptation Monétik Pay",
        "SIGNED_CONTRACT": "Contrat d'acceptation Monétik Pay (exemplaire signé)",
        "AMENDMENT": "Avenant au contrat d'acceptation Monétik Pay",
        "number": "Contrat n°",
        "date": "Date du contrat",
        "terms": "Conditions générales, version",
        "status": "Statut",
        "acquirer": "Acquéreur",
        "partner": "Partenaire distributeur",
        "company": "Le commerçant",
        "legal_name": "Raison sociale",
        "trade_name": "Nom commercial",
        "legal_form": "Forme juridique",
        "siren": "SIREN",
        "address": "Adresse",
        "iban": "IBAN",
        "bic": "BIC",
        "not_shown": "non communiqué",
        "shops": "Magasins couverts",
        "shop": "Magasin",
        "siret": "SIRET",
        "services": "Services",
        "fees": "Grille tarifaire",
        "version": "Version",
        "effective": "En vigueur à compter du",
        "scheme": "Réseau",
        "region": "Zone",
        "rate": "Taux",
        "fixed": "Frais fixes",
        "rental": "Location du terminal (par mois)",
        "softpos": "Abonnement SoftPOS (par mois)",
        "no_fees": "Aucune grille tarifaire.",
        "reason": "Motif",
        "amends": "Le présent avenant modifie la grille tarifaire du contrat n°",
        "signature": "Signature",
        "signatory": "Signataire pour le commerçant",
        "signed_at": "Signé le",
        "signed_by": "Enregistré par",
        "signed_hash": "Empreinte SHA-256 du document signé",
        "page": "Page",
        "PAYWISH_SOFTPOS": "Paywish SoftPOS (acceptation sur téléphone)",
        "PAY_ON_SITE": "Pay on site (terminal de paiement)",
        "DOMESTIC": "Domestique",
        "EEA": "EEE",
        "INTERNATIONAL": "International",
    },
    "en": {
        "CONTRACT": "Monétik Pay card acceptance contract",
        "SIGNED_CONTRACT": "Monétik Pay card acceptance contract (signed copy)",
        "AMENDMENT": "Amendment to the Monétik Pay card acceptance contract",
        "number": "Contract no.",
        "date": "Contract date",
        "terms": "General terms, version",
        "status": "Status",
        "acquirer": "Acquirer",
        "partner": "Distribution partner",
        "company": "The merchant",
        "legal_name": "Legal name",
        "trade_name": "Trade name",
        "legal_form": "Legal form",
        "siren": "SIREN",
        "address": "Address",
        "iban": "IBAN",
        "bic": "BIC",
        "not_shown": "not disclosed",
        "shops": "Shops covered",
        "shop": "Shop",
        "siret": "SIRET",
        "services": "Services",
        "fees": "Fee schedule",
        "version": "Version",
        "effective": "Effective from",
        "scheme": "Scheme",
        "region": "Region",
        "rate": "Rate",
        "fixed": "Fixed fee",
        "rental": "Terminal rental (monthly)",
        "softpos": "SoftPOS subscription (monthly)",
        "no_fees": "No fee schedule.",
        "reason": "Reason",
        "amends": "This amendment changes the fee schedule of contract no.",
        "signature": "Signature",
        "signatory": "Signatory for the merchant",
        "signed_at": "Signed on",
        "signed_by": "Recorded by",
        "signed_hash": "SHA-256 of the signed document",
        "page": "Page",
        "PAYWISH_SOFTPOS": "Paywish SoftPOS (acceptance on a phone)",
        "PAY_ON_SITE": "Pay on site (payment terminal)",
        "DOMESTIC": "Domestic",
        "EEA": "EEA",
        "INTERNATIONAL": "International",
    },
}

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontName="Helvetica", fontSize=9)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7.5, leading=9)
_H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontName="Helvetica-Bold", fontSize=15)
_H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontName="Helvetica-Bold", fontSize=11)
_GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa7b8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)
_PAIRS = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]
)


def money(minor: int, currency: str, language: str) -> str:
    """Minor units as an amount: 2500 EUR → "25,00 EUR" (fr) or "25.00 EUR" (en)."""
    sign = "-" if minor < 0 else ""
    units, cents = divmod(abs(minor), 100)
    separator = "," if language == "fr" else "."
    return f"{sign}{units}{separator}{cents:02d} {currency}"


def rate(bps: int, language: str) -> str:
    """Basis points as a percentage: 30 → "0,30 %" (fr) or "0.30%" (en)."""
    units, hundredths = divmod(bps, 100)
    if language == "fr":
        return f"{units},{hundredths:02d} %"
    return f"{units}.{hundredths:02d}%"


def fee_line_text(line: Mapping[str, Any], currency: str, language: str) -> list[str]:
    """One fee line's cells: scheme, region, rate, fixed fee (tests read them back)."""
    labels = LABELS[language]
    return [
        line["scheme"],
        labels.get(line["region"], line["region"]),
        rate(line["rateBps"], language),
        money(line["fixedFee"], currency, language),
    ]


def _esc(text: str | None) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pairs(rows: Sequence[tuple[str, str]]) -> Table:
    table = Table(
        [[Paragraph(_esc(k), _BODY), Paragraph(_esc(v), _BODY)] for k, v in rows],
        colWidths=[55 * mm, 115 * mm],
    )
    table.setStyle(_PAIRS)
    return table


def _address(a: Mapping[str, Any]) -> str:
    parts = [a.get("line1"), a.get("line2"), f"{a.get('postalCode', '')} {a.get('city', '')}"]
    return ", ".join(p for p in parts if p) + f" ({a.get('country', '')})"


def _fees(story: list[Any], fees: Mapping[str, Any] | None, labels: Mapping[str, str], lang: str):
    story.append(Paragraph(_esc(labels["fees"]), _H2))
    if not fees:
        story.append(Paragraph(_esc(labels["no_fees"]), _BODY))
        return
    currency = fees["currency"]
    story.append(
        _pairs(
            [
                (labels["version"], str(fees["version"])),
                (labels["effective"], fees["effectiveFrom"]),
                (labels["rental"], money(fees["terminalRentalMonthly"], currency, lang)),
                (labels["softpos"], money(fees["softposFeeMonthly"], currency, lang)),
            ]
        )
    )
    story.append(Spacer(1, 3 * mm))
    rows = [[labels["scheme"], labels["region"], labels["rate"], labels["fixed"]]]
    rows += [fee_line_text(line, currency, lang) for line in fees["lines"]]
    grid = Table(rows, colWidths=[35 * mm, 45 * mm, 40 * mm, 50 * mm], repeatRows=1)
    grid.setStyle(_GRID)
    story.append(grid)


def _parties(story: list[Any], s: Mapping[str, Any], labels: Mapping[str, str]) -> None:
    company = s["company"]
    story.append(_pairs([(labels["acquirer"], s["acquirer"]), (labels["partner"], s["partner"])]))
    story.append(Paragraph(_esc(labels["company"]), _H2))
    rows = [(labels["legal_name"], company["legalName"])]
    if company.get("tradeName"):
        rows.append((labels["trade_name"], company["tradeName"]))
    rows += [
        (labels["legal_form"], company["legalForm"]),
        (labels["siren"], company["siren"]),
        (labels["address"], _address(company["address"])),
        (labels["iban"], company.get("iban") or labels["not_shown"]),
        (labels["bic"], company.get("bic") or labels["not_shown"]),
    ]
    story.append(_pairs(rows))


#: The box the tenant's logo is fitted in (aspect ratio kept), in the top margin of the first
#: page, at its right (so the logo moves no line of the contract).
LOGO_BOX = (45 * mm, 13 * mm)
#: The largest logo accepted, in pixels per side (a small file may decode to a huge image).
LOGO_MAX_PIXELS = 4096


def logo_size(content: bytes) -> tuple[int, int]:
    """The logo's width and height in pixels, read from its header (raises if unreadable)."""
    width, height = ImageReader(io.BytesIO(content)).getSize()
    return int(width), int(height)


def check_logo(content: bytes) -> None:
    """Raise unless ReportLab decodes the image and draws it (the upload's last check)."""
    reader = ImageReader(io.BytesIO(content))
    reader.getRGBData()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(
        [Spacer(1, 1)], onFirstPage=lambda canvas, _: _draw_logo(canvas, content)
    )


def _draw_logo(canvas: Any, content: bytes) -> None:
    """The logo in the first page's top margin, right-aligned with the text."""
    width, height = logo_size(content)
    box_w, box_h = LOGO_BOX
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    page_w, page_h = A4
    canvas.drawImage(
        ImageReader(io.BytesIO(content)),
        page_w - 20 * mm - w,
        page_h - 4 * mm - h,
        width=w,
        height=h,
        mask="auto",
    )


def render(snapshot: Mapping[str, Any], language: str = "fr", logo: bytes | None = None) -> bytes:
    """The PDF of a contract, signed contract or amendment snapshot, in French or English;
    `logo`: the bytes of the tenant's logo the snapshot names (drawn on the first page)."""
    lang = language if language in LABELS else "fr"
    labels = LABELS[lang]
    kind = snapshot.get("kind", "CONTRACT")
    contract = snapshot["contract"]
    title = labels[kind]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} {contract['number']}",
        author=f"{snapshot['acquirer']} / {snapshot['partner']}",
        creator="Spring",
        invariant=1,
    )
    story: list[Any] = [
        Paragraph(_esc(title), _H1),
        _pairs(
            [
                (labels["number"], contract["number"]),
                (labels["date"], contract["date"]),
                (labels["terms"], contract["termsVersion"]),
            ]
        ),
        Spacer(1, 3 * mm),
    ]
    _parties(story, snapshot, labels)
    if kind == "AMENDMENT":
        amendment = snapshot["amendment"]
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(_esc(f"{labels['amends']} {contract['number']}."), _BODY))
        if amendment.get("reason"):
            story.append(_pairs([(labels["reason"], amendment["reason"])]))
        _fees(story, snapshot.get("fees"), labels, lang)
    else:
        story.append(Paragraph(_esc(labels["shops"]), _H2))
        rows = [[labels["shop"], labels["siret"], labels["address"]]]
        rows += [
            [
                Paragraph(_esc(shop["name"]), _SMALL),
                shop["siret"],
                Paragraph(_esc(_address(shop["address"])), _SMALL),
            ]
            for shop in snapshot["shops"]
        ]
        shops = Table(rows, colWidths=[45 * mm, 35 * mm, 90 * mm], repeatRows=1)
        shops.setStyle(_GRID)
        story.append(shops)
        story.append(Paragraph(_esc(labels["services"]), _H2))
        for kind_name in contract["serviceKinds"]:
            story.append(Paragraph(_esc(f"- {labels.get(kind_name, kind_name)}"), _BODY))
        _fees(story, snapshot.get("fees"), labels, lang)
    signature = snapshot.get("signature")
    if kind == "SIGNED_CONTRACT" and signature:
        story.append(PageBreak())
        story.append(Paragraph(_esc(labels["signature"]), _H1))
        story.append(
            _pairs(
                [
                    (labels["number"], contract["number"]),
                    (labels["signatory"], signature["signatoryName"]),
                    (labels["signed_at"], signature["signedAt"]),
                    (labels["signed_by"], signature.get("recordedBy") or "-"),
                    (labels["signed_hash"], signature["documentSha256"]),
                ]
            )
        )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(
            20 * mm,
            10 * mm,
            f"{snapshot['acquirer']} - {contract['number']} - {labels['page']} {document.page}",
        )
        canvas.restoreState()

    def first_page(canvas: Any, document: Any) -> None:
        if logo and snapshot.get("logo"):
            _draw_logo(canvas, logo)
        footer(canvas, document)

    doc.build(story, onFirstPage=first_page, onLaterPages=footer)
    return buffer.getvalue()
