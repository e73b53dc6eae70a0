"""`diagnose_terminal`: the handful of statements that gather a terminal's facts, then
every check (a read: nothing is written).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from db.enums import (
    TerminalEventKind,
)
from resolvers.diagnosis.checks import (
    REFUSED,
    SERVICE_PRIORITY,
    TOP_CODES,
    WINDOW,
    Diagnosis,
    ErrorStats,
    _iso,
    check_company,
    check_contract,
    check_decline_rate,
    check_errors,
    check_heartbeat,
    check_options,
    check_response_codes,
    check_service,
    check_shop,
    check_terminal,
)


async def diagnose_terminal(
    session: AsyncSession, terminal_id: uuid.UUID, now: dt.datetime | None = None
) -> Diagnosis | None:
    """Every check for one terminal of the session's tenant; None when it is not visible."""
    now = now or dt.datetime.now(dt.UTC)
    since = now - WINDOW

    # 1. The terminal, its shop, the shop's company, the tenant's heartbeat interval.
    row = (
        await session.execute(
            select(m.Terminal, m.Shop, m.Company, m.Tenant.heartbeat_interval_s, m.Tenant.time_zone)
            .join(m.Tenant, m.Tenant.id == m.Terminal.tenant_id)
            .outerjoin(
                m.Shop,
                and_(m.Shop.tenant_id == m.Terminal.tenant_id, m.Shop.id == m.Terminal.shop_id),
            )
            .outerjoin(
                m.Company,
                and_(m.Company.tenant_id == m.Shop.tenant_id, m.Company.id == m.Shop.company_id),
            )
            .where(m.Terminal.id == terminal_id)
        )
    ).one_or_none()
    if row is None:
        return None
    terminal, shop, shop_company, interval_s, zone = row

    # 2. Its services, with their contract and the contract's company.
    services = (
        await session.execute(
            select(m.Service, m.Contract, m.Company)
            .join(
                m.Contract,
                and_(
                    m.Contract.tenant_id == m.Service.tenant_id,
                    m.Contract.id == m.Service.contract_id,
                ),
            )
            .join(
                m.Company,
                and_(
                    m.Company.tenant_id == m.Contract.tenant_id,
                    m.Company.id == m.Contract.company_id,
                ),
            )
            .where(m.Service.terminal_id == terminal.id)
            .order_by(m.Service.created_at.desc())
        )
    ).all()
    service = contract = None
    company = shop_company
    if services:
        service, contract, company = min(services, key=lambda r: SERVICE_PRIORITY[r[0].status])

    # 3. The latest options version.
    latest = (
        await session.execute(
            select(m.TerminalOptions.version_number, m.TerminalOptions.created_at)
            .where(m.TerminalOptions.terminal_id == terminal.id)
            .order_by(m.TerminalOptions.version_number.desc())
            .limit(1)
        )
    ).one_or_none()

    # 4. Error events of the window: per code, then the latest one.
    in_window = and_(
        m.TerminalEvent.terminal_id == terminal.id,
        m.TerminalEvent.kind == TerminalEventKind.ERROR,
        m.TerminalEvent.occurred_at >= since,
    )
    per_code = (
        await session.execute(
            select(
                m.TerminalEvent.code,
                func.count().label("n"),
                func.max(m.TerminalEvent.occurred_at).label("last"),
            )
            .where(in_window)
            .group_by(m.TerminalEvent.code)
            .order_by(func.count().desc(), m.TerminalEvent.code)
        )
    ).all()
    error_count = sum(r.n for r in per_code)
    errors = ErrorStats(
        count=error_count,
        by_code=[{"code": r.code, "count": r.n, "lastAt": _iso(r.last)} for r in per_code],
    )
    if error_count:
        last_error = (
            await session.execute(
                select(m.TerminalEvent.code, m.TerminalEvent.message, m.TerminalEvent.occurred_at)
                .where(in_window)
                .order_by(m.TerminalEvent.occurred_at.desc())
                .limit(1)
            )
        ).one()
        errors = ErrorStats(
            count=error_count,
            by_code=errors.by_code,
            latest_code=last_error.code,
            latest_message=last_error.message,
            latest_at=last_error.occurred_at,
        )

    # 5. Transactions of the window: how many, how many refused, and the top refusal codes.
    tx_window = and_(m.Transaction.terminal_id == terminal.id, m.Transaction.occurred_at >= since)
    refused = m.Transaction.status.in_(REFUSED)
    totals = (
        await session.execute(select(func.count(), func.count().filter(refused)).where(tx_window))
    ).one()
    total, declined = int(totals[0]), int(totals[1])
    top: list[tuple[str, int]] = []
    if declined:
        top = [
            (r[0], int(r[1]))
            for r in (
                await session.execute(
                    select(m.Transaction.response_code, func.count())
                    .where(tx_window, refused)
                    .group_by(m.Transaction.response_code)
                    .order_by(func.count().desc(), m.Transaction.response_code)
                    .limit(TOP_CODES)
                )
            ).all()
        ]

    checks = [
        check_terminal(terminal, zone),
        check_shop(shop),
        check_service(service, len(services), zone),
        check_contract(contract),
        check_company(company),
        check_heartbeat(terminal, int(interval_s or 60), now, zone),
        check_options(terminal, latest[0] if latest else None, latest[1] if latest else None, zone),
        check_errors(errors, zone),
        check_decline_rate(total, declined),
        check_response_codes(top),
    ]
    return Diagnosis(terminal=terminal, checks=checks, diagnosed_at=now)
