"""Who may run each fleet operation, and every service and terminal transition of the
lifecycle tables.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.enums import ServiceStatus, TerminalStatus
from db.session import Database
from resolvers import terminals as rt
from resolvers.errors import UserErrorCode
from resolvers.lifecycles import SERVICE, TERMINAL
from resolvers.usecase import Refused
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.factories import TenantGraph
from tests.fleet.helpers import (
    ACTIVATE,
    ASSIGN,
    BLOCK_SERVICE,
    BLOCK_TERMINAL,
    DEACTIVATE_SERVICE,
    OPTIONS,
    REGISTER,
    RESTOCK_TERMINAL,
    UNBLOCK_SERVICE,
    UNBLOCK_TERMINAL,
    add_service,
    add_terminal,
    count,
    counts,
    enroll,
    in_hours,
    merchant,
    new_tid,
    row,
)


async def test_roles_the_policy_denies_are_forbidden_and_nothing_is_written(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    ids = await merchant(owner_engine, graph)
    terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
    service_id = await add_service(owner_engine, graph, terminal_id=terminal_id)
    stock = await add_terminal(owner_engine, graph)
    returned = await add_terminal(owner_engine, graph, status="RETURNED")
    sid, tid = gid("Service", service_id), gid("Terminal", terminal_id)
    activate = {
        "contractId": gid("Contract", ids["contract"]),
        "shopId": gid("Shop", ids["shop"]),
        "kind": "PAY_ON_SITE",
        "terminalId": gid("Terminal", stock),
    }
    denied = [
        ("SELLER", BLOCK_SERVICE, {"id": sid, "reason": "x"}),
        ("SELLER", UNBLOCK_SERVICE, {"id": sid}),
        ("SELLER", BLOCK_TERMINAL, {"id": tid, "reason": "x"}),
        ("SELLER", ACTIVATE, activate),
        ("SELLER", REGISTER, {"kind": "SOFTPOS", "tid": new_tid()}),
        ("HOTLINE", REGISTER, {"kind": "SOFTPOS", "tid": new_tid()}),
        ("HOTLINE", ASSIGN, {"id": gid("Terminal", stock), "shopId": gid("Shop", ids["shop"])}),
        ("HOTLINE", OPTIONS, {"id": tid, "tipping": True}),
        ("HOTLINE", ACTIVATE, activate),
        ("HOTLINE", DEACTIVATE_SERVICE, {"id": sid, "reason": "x"}),
        ("SELLER", RESTOCK_TERMINAL, {"id": gid("Terminal", returned), "reason": "x"}),
        ("HOTLINE", RESTOCK_TERMINAL, {"id": gid("Terminal", returned), "reason": "x"}),
    ]
    before = await counts(owner_engine, graph.tenant_id)
    for role, mutation, values in denied:
        caller = await signed_in(client, users[role])
        body = await caller.post(mutation, {"i": values})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (role, mutation)
        assert list(body["data"].values()) == [None]
    assert await counts(owner_engine, graph.tenant_id) == before
    assert (await row(owner_engine, "services", service_id))["status"] == "ACTIVE"
    assert (await row(owner_engine, "terminals", stock))["status"] == "IN_STOCK"
    assert (await row(owner_engine, "terminals", returned))["status"] == "RETURNED"


SERVICE_MUTATIONS = {
    "block": (BLOCK_SERVICE, "blockService", {"reason": "Contrôle"}),
    "unblock": (UNBLOCK_SERVICE, "unblockService", {}),
    "deactivate": (DEACTIVATE_SERVICE, "deactivateService", {"reason": "Fin"}),
}


TERMINAL_MUTATIONS = {
    "block": (BLOCK_TERMINAL, "blockTerminal", {"reason": "Contrôle"}),
    "unblock": (UNBLOCK_TERMINAL, "unblockTerminal", {}),
    "restock": (RESTOCK_TERMINAL, "restockTerminal", {"reason": "Contrôlé, réinitialisé"}),
}


def test_the_tests_cover_every_action_of_the_service_and_terminal_tables() -> None:
    service_actions = {t.action for t in SERVICE.transitions}
    # activate: activateService creates the service; enrollment activates a PENDING one.
    # expireBlock: the sweep (see the auto-unblock tests).
    # regenerateCode: tests/test_terminal_commands.py (regenerateActivationCode).
    assert service_actions == {*SERVICE_MUTATIONS, "activate", "expireBlock", "regenerateCode"}
    terminal_actions = {t.action for t in TERMINAL.transitions}
    # assign, activate (by activateService), return (by deactivateService), expireBlock.
    assert terminal_actions == {*TERMINAL_MUTATIONS, "assign", "activate", "return", "expireBlock"}


async def test_every_service_transition_pair_is_allowed_or_refused_as_the_table_says(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    for action, (mutation, name, extra) in SERVICE_MUTATIONS.items():
        transition = SERVICE.find(action)
        for state in ServiceStatus:
            terminal_id = await add_terminal(owner_engine, graph, status="ACTIVE")
            service_id = await add_service(
                owner_engine, graph, status=state.value, terminal_id=terminal_id
            )
            before = await counts(owner_engine, graph.tenant_id)
            body = await supervisor.post(
                mutation, {"i": {"id": gid("Service", service_id), **extra}}
            )
            payload = body["data"][name]
            stored = await row(owner_engine, "services", service_id)
            if state in transition.sources:
                assert payload["userErrors"] == [], (action, state)
                assert stored["status"] == transition.target.value
                assert (
                    await count(owner_engine, "audit_events", graph.tenant_id)
                    > before["audit_events"]
                )
            else:
                error = payload["userErrors"][0]
                assert error["code"] == "INVALID_TRANSITION", (action, state)
                assert state.value in error["message"]
                assert (stored["status"], stored["version"]) == (state.value, 1)
                assert await counts(owner_engine, graph.tenant_id) == before, (action, state)


async def test_enrollment_activates_only_a_pending_service(
    owner_engine: AsyncEngine, app_db: Database, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, _ = tenant
    for state in ServiceStatus:
        if state is ServiceStatus.PENDING:
            continue
        code = rt.new_activation_code()
        service_id = await add_service(
            owner_engine,
            graph,
            status=state.value,
            kind="PAYWISH_SOFTPOS",
            code_hash=rt.hash_activation_code(code),
            code_expires_at=in_hours(1),
        )
        before = await counts(owner_engine, graph.tenant_id)
        with pytest.raises(Refused) as refused:
            await enroll(app_db, graph, code)
        assert refused.value.errors[0].code is UserErrorCode.INVALID_TRANSITION, state
        assert await counts(owner_engine, graph.tenant_id) == before
        assert (await row(owner_engine, "services", service_id))["status"] == state.value


async def test_every_terminal_transition_pair_is_allowed_or_refused_as_the_table_says(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    elsewhere = await merchant(
        owner_engine, graph, contract_status="ACTIVE", company_status="ACTIVE"
    )
    calls: dict[str, tuple[str, str, dict[str, Any]]] = {
        **TERMINAL_MUTATIONS,
        "assign": (ASSIGN, "assignTerminal", {"shopId": gid("Shop", elsewhere["shop"])}),
    }
    for action, (mutation, name, extra) in calls.items():
        transition = TERMINAL.find(action)
        for state in TerminalStatus:
            terminal_id = await add_terminal(owner_engine, graph, status=state.value)
            before = await counts(owner_engine, graph.tenant_id)
            body = await supervisor.post(
                mutation, {"i": {"id": gid("Terminal", terminal_id), **extra}}
            )
            payload = body["data"][name]
            stored = await row(owner_engine, "terminals", terminal_id)
            if state in transition.sources:
                assert payload["userErrors"] == [], (action, state)
                assert stored["status"] == transition.target.value
            else:
                error = payload["userErrors"][0]
                assert error["code"] == "INVALID_TRANSITION", (action, state)
                assert state.value in error["message"]
                assert (stored["status"], stored["version"]) == (state.value, 1)
                assert await counts(owner_engine, graph.tenant_id) == before, (action, state)

    # activate (by activateService) from anything but IN_STOCK / ASSIGNED is refused too.
    activate = TERMINAL.find("activate")
    for state in TerminalStatus:
        if state in activate.sources or state is TerminalStatus.IN_STOCK:
            continue
        terminal_id = await add_terminal(
            owner_engine, graph, status=state.value, shop_id=elsewhere["shop"]
        )
        before = await counts(owner_engine, graph.tenant_id)
        body = await supervisor.post(
            ACTIVATE,
            {
                "i": {
                    "contractId": gid("Contract", elsewhere["contract"]),
                    "shopId": gid("Shop", elsewhere["shop"]),
                    "kind": "PAY_ON_SITE",
                    "terminalId": gid("Terminal", terminal_id),
                }
            },
        )
        error = body["data"]["activateService"]["userErrors"][0]
        assert error["code"] == "INVALID_TRANSITION", state
        assert state.value in error["message"]
        assert await counts(owner_engine, graph.tenant_id) == before
