"""Companies and shops: lists with filters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from db import models as m
from db.enums import CompanyStatus, ShopStatus
from resolvers.listing import choose, like_pattern, orderings
from resolvers.pagination import ChildList, Page, PageArgs, SessionScope, paginate


@dataclass(frozen=True)
class CompanyFilter:
    status: list[CompanyStatus] | None = None
    text: str | None = None
    mcc: str | None = None


@dataclass(frozen=True)
class ShopFilter:
    company: uuid.UUID | None = None
    status: list[ShopStatus] | None = None
    text: str | None = None


COMPANY_ORDERINGS = orderings(
    {
        "LEGAL_NAME": (m.Company.legal_name, m.Company.id),
        "CREATED_AT": (m.Company.created_at, m.Company.id),
        "SIREN": (m.Company.siren, m.Company.id),
    },
    "companies",
)
SHOP_ORDERINGS = orderings(
    {
        "NAME": (m.Shop.name, m.Shop.id),
        "CREATED_AT": (m.Shop.created_at, m.Shop.id),
        "SIRET": (m.Shop.siret, m.Shop.id),
    },
    "shops",
)

COMPANY_SHOPS = ChildList(m.Shop, m.Shop.company_id, SHOP_ORDERINGS[("NAME", False)])


def company_query(f: CompanyFilter) -> Select[tuple[m.Company]]:
    stmt = select(m.Company)
    if f.status:
        stmt = stmt.where(m.Company.status.in_(f.status))
    if f.mcc:
        stmt = stmt.where(m.Company.mcc == f.mcc.strip())
    if f.text and f.text.strip():
        text = f.text.strip()
        pattern = like_pattern(text)
        conditions = [m.Company.legal_name.ilike(pattern), m.Company.trade_name.ilike(pattern)]
        digits = text.replace(" ", "")
        if digits.isdigit():
            conditions.append(m.Company.siren.startswith(digits[:9]))
        stmt = stmt.where(or_(*conditions))
    return stmt


def shop_query(f: ShopFilter) -> Select[tuple[m.Shop]]:
    stmt = select(m.Shop)
    if f.company:
        stmt = stmt.where(m.Shop.company_id == f.company)
    if f.status:
        stmt = stmt.where(m.Shop.status.in_(f.status))
    if f.text and f.text.strip():
        text = f.text.strip()
        conditions = [m.Shop.name.ilike(like_pattern(text)), m.Shop.city.ilike(like_pattern(text))]
        digits = text.replace(" ", "")
        if digits.isdigit():
            conditions.append(m.Shop.siret.startswith(digits[:14]))
        stmt = stmt.where(or_(*conditions))
    return stmt


async def list_companies(
    scope: SessionScope, f: CompanyFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Company]:
    return await paginate(scope, company_query(f), choose(COMPANY_ORDERINGS, *order), args)


async def list_shops(
    scope: SessionScope, f: ShopFilter, order: tuple[str, bool], args: PageArgs
) -> Page[m.Shop]:
    return await paginate(scope, shop_query(f), choose(SHOP_ORDERINGS, *order), args)
