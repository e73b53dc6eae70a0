"""The demo's rows obey the rules the use cases keep (issue 14, item 6): the demo tells no story
the API would refuse, and journals it as the use cases journal it.

Computed without a database (`build_demo` is pure), so these run in a second or two.
"""

from __future__ import annotations

import datetime as dt
import enum
import pathlib
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from db import enums as e
from resolvers.contracts.common import contract_number, counter_name
from resolvers.lifecycles import LIFECYCLES, Lifecycle
from resolvers.requests import new_reference
from resolvers.terminals.common import CODE_LIFETIME
from spring.demo import build_demo

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)

#: Table of each lifecycle's rows.
TABLES = {
    "company": "companies",
    "request": "requests",
    "contract": "contracts",
    "service": "services",
    "terminal": "terminals",
    "terminal command": "terminal_commands",
    "shop": "shops",
    "user": "users",
}
#: Journal entity type of each lifecycle.
ENTITY_TYPES = {
    "company": "Company",
    "request": "Request",
    "contract": "Contract",
    "service": "Service",
    "terminal": "Terminal",
    "shop": "Shop",
    "user": "User",
}


@pytest.fixture(scope="module")
def tables() -> list[dict[str, list[dict[str, Any]]]]:
    data = build_demo(now=NOW, password_hash="not-a-hash")
    return list(data.tenant_rows.values())


def _rows(tables: list[dict[str, list[dict[str, Any]]]], name: str) -> Iterator[dict[str, Any]]:
    for tenant in tables:
        yield from tenant[name]


def _reachable(lifecycle: Lifecycle) -> set[enum.Enum]:
    seen = {lifecycle.initial}
    grew = True
    while grew:
        grew = False
        for transition in lifecycle.transitions:
            target = transition.target
            if target is not None and target not in seen and seen & set(transition.sources):
                seen.add(target)
                grew = True
    return seen


def _use_case_actions() -> set[str]:
    """Every journal action written in the use cases' sources (literal, or the blocks'
    `<kind>.blocked` / `<kind>.unblocked`)."""
    text = "".join(
        path.read_text()
        for folder in ("resolvers", "spring")
        for path in (ROOT / folder).rglob("*.py")
        if "demo" not in path.parts
    )
    actions = set(re.findall(r'"([a-z_]+\.[a-z_]+)"', text))
    assert 'action=f"{blocks.kind.lower()}.blocked"' in text
    return actions | {
        f"{kind}.{verb}" for kind in ("service", "terminal") for verb in ("blocked", "unblocked")
    }


def test_every_status_is_one_its_lifecycle_reaches(tables: Any) -> None:
    for lifecycle in LIFECYCLES:
        reachable = {state.value for state in _reachable(lifecycle)}
        statuses = {row["status"] for row in _rows(tables, TABLES[lifecycle.entity])}
        assert statuses, lifecycle.entity
        assert statuses <= reachable, (lifecycle.entity, statuses - reachable)


def test_every_journaled_status_change_is_a_transition_of_the_lifecycle(tables: Any) -> None:
    by_type = {ENTITY_TYPES[lc.entity]: lc for lc in LIFECYCLES if lc.entity in ENTITY_TYPES}
    checked = 0
    for entry in _rows(tables, "audit_events"):
        lifecycle = by_type.get(entry["entity_type"])
        before, after = entry["before"] or {}, entry["after"] or {}
        if lifecycle is None or "status" not in after:
            continue
        target = lifecycle.states(after["status"])
        if not before.get("status"):
            # A creation: the row starts in its lifecycle's initial state, or gets there by
            # the transitions the same use case runs (a PAX service is active when added).
            assert target in _reachable(lifecycle), entry
            continue
        source = lifecycle.states(before["status"])
        assert any(t.target is target and source in t.sources for t in lifecycle.transitions), (
            entry["action"],
            source,
            target,
        )
        checked += 1
    assert checked > 100


def test_every_journal_action_is_one_a_use_case_writes(tables: Any) -> None:
    """The demo's journal used to hold actions no use case writes (company.status_changed,
    request.done, terminal.options_updated, service.activation_requested): the journal's
    readers (history screens, filters) never see them from real use."""
    written = {entry["action"] for entry in _rows(tables, "audit_events")}
    assert written - _use_case_actions() == set()


def test_options_changes_are_journaled_as_the_options_use_case_does(tables: Any) -> None:
    for entry in _rows(tables, "audit_events"):
        if entry["action"] == "terminal.options_changed":
            assert set(entry["before"]) == set(entry["after"])
            assert entry["after"]["optionsVersion"] == entry["before"]["optionsVersion"] + 1
            assert len(entry["after"]) >= 2  # a change, and the version


def test_contract_entries_carry_the_contract_number(tables: Any) -> None:
    """Bug: contract.created and contract.signed were journaled with a null number (the
    number was filled into the dict built, not into the entry's stored copy)."""
    numbers = {row["id"]: row["number"] for row in _rows(tables, "contracts")}
    seen = 0
    for entry in _rows(tables, "audit_events"):
        if entry["action"] in ("contract.created", "contract.signed"):
            assert entry["after"]["number"] == numbers[entry["entity_id"]]
            seen += 1
    assert seen > 10


def test_contract_numbers_follow_the_yearly_counter(tables: Any) -> None:
    for tenant in tables:
        counters = {row["name"]: row["value"] for row in tenant["tenant_counters"]}
        by_year: dict[int, list[str]] = {}
        for row in sorted(tenant["contracts"], key=lambda r: (r["created_at"], r["id"])):
            by_year.setdefault(row["created_at"].year, []).append(row["number"])
        for year, numbers in by_year.items():
            assert numbers == [contract_number(year, i) for i in range(1, len(numbers) + 1)]
            assert counters[counter_name(year)] == len(numbers)


def test_request_references_have_the_use_case_shape(tables: Any) -> None:
    shape = re.compile(r"^[A-Z]{6}[0-9]{3}[A-Z]{2}$")
    assert all(shape.match(new_reference()) for _ in range(20))
    references = [row["reference"] for row in _rows(tables, "requests")]
    assert references and all(shape.match(r) for r in references)
    assert len(set(references)) == len(references)


def test_pending_softpos_services_hold_an_activation_code_as_the_use_case_issues_it(
    tables: Any,
) -> None:
    pending = [row for row in _rows(tables, "services") if row["status"] == "PENDING"]
    assert pending
    for service in pending:
        assert service["kind"] == e.ServiceKind.PAYWISH_SOFTPOS.value
        assert re.fullmatch(r"[0-9a-f]{64}", service["activation_code_hash"])
        assert service["activation_code_expires_at"] == service["created_at"] + CODE_LIFETIME
    for service in _rows(tables, "services"):
        if service["status"] != "PENDING":
            assert service["activation_code_hash"] is None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def test_journal_references_are_global_ids(tables: Any) -> None:
    """References in the journal are global ids, as journal.record keeps them."""
    for entry in _rows(tables, "audit_events"):
        for part in (entry["before"] or {}, entry["after"] or {}):
            for key, value in part.items():
                if key.endswith("Id") and isinstance(value, str) and key != "commandId":
                    assert not _is_uuid(value), (entry["action"], key, value)


def test_fee_versions_follow_one_another_and_are_journaled_as_the_use_case_does(
    tables: Any,
) -> None:
    for tenant in tables:
        versions: dict[Any, list[int]] = {}
        for schedule in tenant["fee_schedules"]:
            versions.setdefault(schedule["contract_id"], []).append(schedule["version_number"])
        for numbers in versions.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1))
    changes = [e for e in _rows(tables, "audit_events") if e["action"] == "contract.fee_changed"]
    assert changes
    for entry in changes:
        assert entry["after"]["version"] == entry["before"]["version"] + 1
        assert entry["after"]["currency"] == "EUR"
        assert entry["after"]["request"]
