"""The snapshot a contract document is rendered from, and its rendering as the reader may
read it (the IBAN masked or not)."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import ContractStatus, DocumentKind
from resolvers import contract_pdf
from resolvers.contracts import current_fee_schedule
from resolvers.documents.logo import tenant_logo
from resolvers.documents.storage import LANGUAGES, PDF, DocumentView, _blob, encode_id
from tenancy import policy
from tenancy.masking import mask_iban
from tenancy.policy import Access
from tenancy.principal import Principal


def iban_access(principal: Principal) -> tuple[Access | None, Access | None]:
    """How the reader's role reads the company's IBAN and BIC (FULL, MASKED, or None)."""
    return (
        policy.field_access(principal, "Company.iban"),
        policy.field_access(principal, "Company.bic"),
    )


def for_reader(snapshot: dict[str, Any], principal: Principal | None) -> dict[str, Any]:
    """The snapshot with the bank details as the reader's role may read them."""
    if principal is None:
        return snapshot
    iban, bic = iban_access(principal)
    shown = copy.deepcopy(snapshot)
    company = shown["company"]
    if iban is None:
        company["iban"] = None
    elif iban is Access.MASKED:
        company["iban"] = mask_iban(company.get("iban"))
    if bic is None:
        company["bic"] = None
    return shown


def _address(row: Any) -> dict[str, Any]:
    return {
        "line1": row.address_line1,
        "line2": row.address_line2,
        "postalCode": row.postal_code,
        "city": row.city,
        "country": row.country,
    }


async def _fees_json(session: AsyncSession, schedule: m.FeeSchedule) -> dict[str, Any]:
    table = m.FeeLine.__table__
    rows = await session.execute(
        select(table.c.scheme, table.c.region, table.c.rate_bps, table.c.fixed_fee)
        .where(table.c.fee_schedule_id == schedule.id)
        .order_by(table.c.scheme, table.c.region)
    )
    return {
        "version": schedule.version_number,
        "effectiveFrom": schedule.effective_from.isoformat(),
        "currency": schedule.currency,
        "terminalRentalMonthly": schedule.terminal_rental_monthly,
        "softposFeeMonthly": schedule.softpos_fee_monthly,
        "lines": [
            {"scheme": r.scheme, "region": r.region, "rateBps": r.rate_bps, "fixedFee": r.fixed_fee}
            for r in rows
        ],
    }


async def contract_snapshot(
    session: AsyncSession, contract: m.Contract, *, schedule: m.FeeSchedule | None = None
) -> dict[str, Any]:
    """Everything the contract document shows, with the full bank details (the stored form)."""
    tenant_name = (
        await session.execute(select(m.Tenant.name).where(m.Tenant.id == contract.tenant_id))
    ).scalar_one()
    logo = await tenant_logo(session)
    company = await session.get(m.Company, (contract.tenant_id, contract.company_id))
    assert company is not None
    shops = (
        await session.execute(
            select(m.Shop)
            .join(
                m.ContractShop,
                (m.ContractShop.shop_id == m.Shop.id)
                & (m.ContractShop.tenant_id == m.Shop.tenant_id),
            )
            .where(m.ContractShop.contract_id == contract.id)
            .order_by(m.Shop.siret, m.Shop.id)
        )
    ).scalars()
    if schedule is None:
        versions = list(
            (
                await session.execute(
                    select(m.FeeSchedule).where(m.FeeSchedule.contract_id == contract.id)
                )
            ).scalars()
        )
        schedule = (
            max(versions, key=lambda v: v.version_number)
            if contract.status is ContractStatus.DRAFT and versions
            else current_fee_schedule(versions)
        )
    return {
        "kind": DocumentKind.CONTRACT.value,
        "acquirer": contract_pdf.ACQUIRER,
        "partner": tenant_name,
        # The tenant's logo as it is now (its bytes are content-addressed: a stored snapshot
        # keeps drawing this one whatever the tenant sets later).
        "logo": (
            {"sha256": logo.logo_sha256, "contentType": logo.logo_content_type}
            if logo is not None
            else None
        ),
        "contract": {
            "number": contract.number,
            "date": contract.created_at.date().isoformat(),
            "termsVersion": contract_pdf.TERMS_VERSION,
            "serviceKinds": list(contract.service_kinds),
            "currency": contract.currency,
        },
        "company": {
            "legalName": company.legal_name,
            "tradeName": company.trade_name,
            "legalForm": company.legal_form,
            "siren": company.siren,
            "address": _address(company),
            "iban": company.iban,
            "bic": company.bic,
        },
        "shops": [
            {"name": shop.name, "siret": shop.siret, "address": _address(shop)} for shop in shops
        ],
        "fees": await _fees_json(session, schedule) if schedule is not None else None,
    }


def _filename(snapshot: dict[str, Any], language: str) -> str:
    number = snapshot["contract"]["number"]
    kind = snapshot.get("kind")
    if kind == DocumentKind.AMENDMENT.value:
        version = (snapshot.get("fees") or {}).get("version", "")
        return f"{number}-avenant-v{version}-{language}.pdf"
    if kind == DocumentKind.SIGNED_CONTRACT.value:
        return f"{number}-signe-{language}.pdf"
    return f"{number}-{language}.pdf"


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else "fr"


def render_view(
    doc_id: str,
    snapshot: dict[str, Any],
    principal: Principal | None,
    language: str | None,
    created_at: dt.datetime,
    created_by: uuid.UUID | None = None,
    logo: bytes | None = None,
) -> DocumentView:
    lang = _language(language)
    return DocumentView(
        id=doc_id,
        kind=DocumentKind(snapshot.get("kind", "CONTRACT")),
        filename=_filename(snapshot, lang),
        content_type=PDF,
        content=contract_pdf.render(for_reader(snapshot, principal), lang, logo),
        created_at=created_at,
        created_by=created_by,
        language=lang,
    )


def stored_view(
    row: m.Document,
    principal: Principal | None,
    language: str | None,
    content: bytes | None,
    logo: bytes | None = None,
) -> DocumentView:
    """A stored document for a reader: generated ones re-rendered from their snapshot for the
    reader's role and language (the same bytes as stored for a full reader in the stored
    language), uploaded ones as stored."""
    doc_id = encode_id("Document", row.id)
    if row.snapshot is not None:
        return render_view(
            doc_id,
            row.snapshot,
            principal,
            language or row.language,
            row.created_at,
            row.created_by,
            logo,
        )
    return DocumentView(
        id=doc_id,
        kind=row.kind,
        filename=row.filename,
        content_type=row.content_type,
        content=content if content is not None else b"",
        created_at=row.created_at,
        created_by=row.created_by,
    )


async def logo_bytes(
    session: AsyncSession, tenant_id: uuid.UUID, snapshot: dict[str, Any] | None
) -> bytes | None:
    """The bytes of the logo a contract snapshot names (None: it names none)."""
    logo = (snapshot or {}).get("logo")
    if not logo:
        return None
    return await _blob(session, tenant_id, logo["sha256"])


async def stored_view_of(
    session: AsyncSession, row: m.Document, principal: Principal | None, language: str | None
) -> DocumentView:
    """A stored generated document for a reader, drawn with the logo its snapshot names."""
    logo = await logo_bytes(session, row.tenant_id, row.snapshot)
    return stored_view(row, principal, language, None, logo)
