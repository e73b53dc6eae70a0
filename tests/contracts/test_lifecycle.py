"""A contract's life after signing: the supervisor's fee versions, suspension, resumption and
termination (services, terminals and company following), every transition of the lifecycle
table, and who may run each operation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from resolvers.lifecycles import CONTRACT
from tenancy import policy
from tenancy.roles import Role
from tests.api import gid, signed_in
from tests.conftest import GraphQLClient
from tests.contracts.helpers import (
    CHANGE_FEES,
    CONTRACT_FIELDS,
    CREATE,
    ERRORS,
    FEES,
    NO_DOCUMENT,
    SIGN,
    SIMULATE,
    SUSPEND,
    UPDATE,
    add_contract,
    add_merchant,
    add_service,
    document_sha,
    fingerprint,
    journal,
    ok,
    rows,
    scalar,
    today,
)
from tests.factories import TenantGraph

RESUME = f"""mutation($i: ResumeContractInput!) {{ resumeContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""


TERMINATE = f"""mutation($i: TerminateContractInput!) {{ terminateContract(input: $i) {{
  contract {{ {CONTRACT_FIELDS} }} {ERRORS} }} }}"""


async def test_supervisor_changes_fees_as_a_new_version_with_its_effective_date(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    contract = gid("Contract", contract_uuid)
    before = await fingerprint(owner_engine, graph.tenant_id)

    # The reason is required; a date in the past is refused; nothing written.
    body = await supervisor.post(
        CHANGE_FEES,
        {
            "i": {
                "id": contract,
                "reason": " ",
                "fees": {**FEES, "effectiveFrom": "2020-01-01"},
            }
        },
    )
    errors = {
        (tuple(e["field"]), e["code"]) for e in body["data"]["changeContractFees"]["userErrors"]
    }
    assert errors == {
        (("input", "reason"), "REQUIRED"),
        (("input", "fees", "effectiveFrom"), "INVALID"),
    }
    assert await fingerprint(owner_engine, graph.tenant_id) == before

    # A version from next month: today's fees stay in force until then.
    later = today() + dt.timedelta(days=20)
    changed = ok(
        await supervisor.post(
            CHANGE_FEES,
            {
                "i": {
                    "id": contract,
                    "expectedVersion": 1,
                    "reason": "Renégociation annuelle",
                    "fees": {**FEES, "effectiveFrom": later.isoformat()},
                }
            },
        ),
        "changeContractFees",
    )["contract"]
    assert changed["status"] == "ACTIVE"
    assert changed["version"] == 2
    assert [v["versionNumber"] for v in changed["feeHistory"]] == [2, 1]
    assert changed["feeHistory"][0]["effectiveFrom"] == later.isoformat()
    assert changed["feeHistory"][0]["reason"] == "Renégociation annuelle"
    assert changed["currentFees"]["versionNumber"] == 1
    # A version from today (the default) is in force at once.
    now_fees = {
        **FEES,
        "lines": [{"scheme": "CB", "region": "DOMESTIC", "rateBps": 22, "fixedFee": 3}],
    }
    changed = ok(
        await supervisor.post(
            CHANGE_FEES,
            {"i": {"id": contract, "reason": "Geste commercial", "fees": now_fees}},
        ),
        "changeContractFees",
    )["contract"]
    assert changed["currentFees"]["versionNumber"] == 3
    assert changed["currentFees"]["effectiveFrom"] == today().isoformat()
    assert len(changed["feeHistory"]) == 3

    events = [
        e for e in await journal(supervisor, contract) if e["action"] == "contract.fee_changed"
    ]
    assert len(events) == 2
    latest = events[0]
    assert latest["reason"] == "Geste commercial"
    assert latest["before"]["version"] == 1  # the version in force when it changed
    assert latest["before"]["lines"] == [
        {"scheme": "CB", "region": "DOMESTIC", "rateBps": 30, "fixedFee": 5}
    ]
    assert latest["after"]["version"] == 3
    assert latest["after"]["lines"] == now_fees["lines"]
    assert latest["actor"]["email"] == users["SUPERVISOR"]

    # Fees of a SUSPENDED or SIGNED contract may change too.
    for status in ("SUSPENDED", "SIGNED"):
        other = gid("Contract", await add_contract(owner_engine, graph, merchant, status))
        body = await supervisor.post(
            CHANGE_FEES, {"i": {"id": other, "reason": "Ajustement", "fees": FEES}}
        )
        assert ok(body, "changeContractFees")["contract"]["status"] == status


async def test_suspend_resume_terminate_with_services_terminals_and_company_following(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    contract = gid("Contract", contract_uuid)
    shop = merchant.shops[0]
    live = [
        await add_service(
            owner_engine,
            graph,
            contract_uuid,
            shop,
            kind="PAY_ON_SITE",
            status="ACTIVE",
            terminal_status="ACTIVE",
        ),
        await add_service(
            owner_engine,
            graph,
            contract_uuid,
            shop,
            kind="PAYWISH_SOFTPOS",
            status="PENDING",
            terminal_status="ASSIGNED",
        ),
        await add_service(
            owner_engine,
            graph,
            contract_uuid,
            shop,
            kind="PAY_ON_SITE",
            status="BLOCKED",
            terminal_status="BLOCKED",
        ),
    ]
    gone = await add_service(
        owner_engine,
        graph,
        contract_uuid,
        shop,
        kind="PAY_ON_SITE",
        status="DEACTIVATED",
        terminal_status="RETURNED",
    )

    async def company_status() -> str:
        return await scalar(
            owner_engine,
            "SELECT status FROM companies WHERE tenant_id = :t AND id = :c",
            t=graph.tenant_id,
            c=merchant.company,
        )

    body = await supervisor.post(SUSPEND, {"i": {"id": contract, "reason": ""}})
    assert body["data"]["suspendContract"]["userErrors"][0]["code"] == "REQUIRED"
    suspended = ok(
        await supervisor.post(
            SUSPEND, {"i": {"id": contract, "expectedVersion": 1, "reason": "Impayés"}}
        ),
        "suspendContract",
    )["contract"]
    assert suspended["status"] == "SUSPENDED" and suspended["statusReason"] == "Impayés"
    assert suspended["suspendedAt"]
    assert await company_status() == "SUSPENDED"

    resumed = ok(
        await supervisor.post(RESUME, {"i": {"id": contract, "expectedVersion": 2}}),
        "resumeContract",
    )["contract"]
    assert resumed["status"] == "ACTIVE" and resumed["suspendedAt"] is None
    assert await company_status() == "ACTIVE"

    terminated = ok(
        await supervisor.post(
            TERMINATE,
            {"i": {"id": contract, "expectedVersion": 3, "reason": "Cessation d'activité"}},
        ),
        "terminateContract",
    )["contract"]
    assert terminated["status"] == "TERMINATED" and terminated["terminatedAt"]
    assert terminated["statusReason"] == "Cessation d'activité"
    assert await company_status() == "CLOSED"

    services = {
        r["id"]: r
        for r in await rows(
            owner_engine,
            "SELECT id, status, deactivated_at, blocked_until, activation_code_hash, version"
            " FROM services WHERE tenant_id = :t AND contract_id = :c",
            t=graph.tenant_id,
            c=contract_uuid,
        )
    }
    for service_id, _ in live:
        service = services[service_id]
        assert service["status"] == "DEACTIVATED" and service["deactivated_at"] is not None
        assert service["blocked_until"] is None and service["activation_code_hash"] is None
    assert services[gone[0]]["version"] == 1  # already deactivated: left alone
    terminals = {
        r["id"]: r
        for r in await rows(
            owner_engine,
            "SELECT id, status, shop_id, version FROM terminals WHERE tenant_id = :t",
            t=graph.tenant_id,
        )
    }
    for _, terminal_id in live:
        assert terminals[terminal_id]["status"] == "RETURNED"
        assert terminals[terminal_id]["shop_id"] is None
    assert terminals[gone[1]]["version"] == 1

    journal_rows = await rows(
        owner_engine,
        "SELECT action, entity_id, reason, actor_label, before, after FROM audit_events"
        " WHERE tenant_id = :t AND request_id = ("
        " SELECT request_id FROM audit_events WHERE tenant_id = :t AND entity_id = :c"
        " AND action = 'contract.terminated')",
        t=graph.tenant_id,
        c=contract_uuid,
    )
    actions = sorted(r["action"] for r in journal_rows)
    assert actions == sorted(
        ["contract.terminated", "company.closed"]
        + ["service.deactivated"] * 3
        + ["terminal.returned"] * 3
    )
    for r in journal_rows:
        assert r["actor_label"] == users["SUPERVISOR"]
        if r["action"] in ("service.deactivated", "terminal.returned", "contract.terminated"):
            assert r["reason"] == "Cessation d'activité"
        if r["action"] == "contract.terminated":
            assert r["before"] == {"status": "ACTIVE"} and r["after"] == {"status": "TERMINATED"}
    contract_events = [e["action"] for e in await journal(supervisor, contract)]
    assert contract_events[:3] == [
        "contract.terminated",
        "contract.resumed",
        "contract.suspended",
    ]


async def test_a_failed_termination_writes_nothing(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """A failure after the first writes (here: a terminal whose row breaks a constraint when
    returned) rolls the whole termination back: no contract, service or journal change."""
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract_uuid = await add_contract(owner_engine, graph, merchant, "ACTIVE")
    await add_service(
        owner_engine,
        graph,
        contract_uuid,
        merchant.shops[0],
        kind="PAY_ON_SITE",
        status="ACTIVE",
        terminal_status="ACTIVE",
    )
    # A trigger makes returning a terminal fail, after the contract and services were written.
    trigger = f"fail_return_{uuid.uuid4().hex[:8]}"
    async with owner_engine.begin() as conn:
        await conn.execute(
            text(
                f"CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                f" IF NEW.status = 'RETURNED' AND NEW.tenant_id = '{graph.tenant_id}' THEN"
                " RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$"
            )
        )
        await conn.execute(
            text(
                f"CREATE TRIGGER {trigger} BEFORE UPDATE ON terminals"
                f" FOR EACH ROW EXECUTE FUNCTION {trigger}()"
            )
        )
    try:
        before = await fingerprint(owner_engine, graph.tenant_id)
        body = await supervisor.post(
            TERMINATE, {"i": {"id": gid("Contract", contract_uuid), "reason": "Fin"}}
        )
        assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert "boom" not in str(body)
        assert await fingerprint(owner_engine, graph.tenant_id) == before
    finally:
        async with owner_engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER {trigger} ON terminals"))
            await conn.execute(text(f"DROP FUNCTION {trigger}()"))


def _mutation_for(action: str, contract: str, version: int) -> tuple[str, str, dict[str, Any]]:
    base = {"id": contract, "expectedVersion": version}
    if action == "editDraft":
        return UPDATE, "updateContractDraft", {**base, "serviceKinds": ["PAY_ON_SITE"]}
    if action == "sign":
        return SIGN, "signContract", {**base, "signatoryName": "Léa", "documentSha256": NO_DOCUMENT}
    if action == "changeFees":
        return CHANGE_FEES, "changeContractFees", {**base, "reason": "Ajustement", "fees": FEES}
    if action == "suspend":
        return SUSPEND, "suspendContract", {**base, "reason": "Impayés"}
    if action == "resume":
        return RESUME, "resumeContract", base
    if action == "terminate":
        return TERMINATE, "terminateContract", {**base, "reason": "Fin"}
    raise AssertionError(action)


async def test_every_contract_transition_of_the_table(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    """Allowed (state, action) pairs succeed; every other pair is INVALID_TRANSITION and
    writes nothing (rows and journal unchanged)."""
    graph, users = tenant
    supervisor = await signed_in(client, users["SUPERVISOR"])
    states = [s.value for s in CONTRACT.states]
    tried = 0
    for transition in CONTRACT.transitions:
        if transition.operation is None:
            continue  # done by the system (activation with the first active service)
        # A merchant per action, so that earlier actions cannot change its status.
        merchant = await add_merchant(owner_engine, graph, "ACTIVE")
        for state in states:
            contract = gid("Contract", await add_contract(owner_engine, graph, merchant, state))
            query, field, variables = _mutation_for(transition.action, contract, 1)
            if transition.action == "sign":
                variables["documentSha256"] = await document_sha(supervisor, contract)
            before = await fingerprint(owner_engine, graph.tenant_id)
            body = await supervisor.post(query, {"i": variables})
            payload = body["data"][field]
            tried += 1
            if any(s.value == state for s in transition.sources):
                assert payload["userErrors"] == [], (state, transition.action, payload)
                # As the table says (docs/lifecycles.md follows it): no target, no change.
                expected = state if transition.target is None else transition.target.value
                assert payload["contract"]["status"] == expected
            else:
                assert payload["contract"] is None
                [error] = payload["userErrors"]
                assert error["code"] == "INVALID_TRANSITION", (state, transition.action)
                assert state in error["message"]
                assert await fingerprint(owner_engine, graph.tenant_id) == before, (
                    state,
                    transition.action,
                )
    assert tried == 6 * len(states)


OPERATIONS = {
    "createContract": (CREATE, "createContract"),
    "updateContractDraft": (UPDATE, "updateContractDraft"),
    "signContract": (SIGN, "signContract"),
    "changeContractFees": (CHANGE_FEES, "changeContractFees"),
    "suspendContract": (SUSPEND, "suspendContract"),
    "resumeContract": (RESUME, "resumeContract"),
    "terminateContract": (TERMINATE, "terminateContract"),
}


async def test_each_operation_is_forbidden_to_the_roles_the_policy_denies(
    client: GraphQLClient, owner_engine: AsyncEngine, tenant: tuple[TenantGraph, dict]
) -> None:
    graph, users = tenant
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    clients = {role: await signed_in(client, users[role]) for role in users}
    drafts = gid("Contract", await add_contract(owner_engine, graph, merchant, "DRAFT"))
    active = gid("Contract", await add_contract(owner_engine, graph, merchant, "ACTIVE"))
    suspended = gid("Contract", await add_contract(owner_engine, graph, merchant, "SUSPENDED"))
    inputs = {
        "createContract": {
            "companyId": gid("Company", merchant.company),
            "shopIds": [gid("Shop", merchant.shops[0])],
            "serviceKinds": ["PAY_ON_SITE"],
        },
        "updateContractDraft": {"id": drafts, "serviceKinds": ["PAYWISH_SOFTPOS"]},
        "signContract": {"id": drafts, "signatoryName": "Léa", "documentSha256": NO_DOCUMENT},
        "changeContractFees": {"id": active, "reason": "x", "fees": FEES},
        "suspendContract": {"id": active, "reason": "x"},
        "resumeContract": {"id": suspended},
        "terminateContract": {"id": active, "reason": "x"},
    }
    checked = 0
    for operation, (query, field) in OPERATIONS.items():
        allowed_roles = policy.OPERATIONS[operation]
        for role in users:
            if Role(role) in allowed_roles:
                continue
            before = await fingerprint(owner_engine, graph.tenant_id)
            body = await clients[role].post(query, {"i": inputs[operation]})
            assert body["data"][field] is None, (operation, role)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (operation, role)
            assert await fingerprint(owner_engine, graph.tenant_id) == before
            checked += 1
    # Sellers may not change fees on a signed contract, nor suspend/resume/terminate.
    assert checked >= 7 * 3 + 4
    body = await clients["TECHNICIAN"].post(
        SIMULATE,
        {
            "i": {
                "contractId": active,
                "transactions": [{"scheme": "CB", "region": "DOMESTIC", "amount": 100}],
            }
        },
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
