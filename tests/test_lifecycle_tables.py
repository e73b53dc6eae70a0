"""The lifecycle tables: documented as they are, and consistent with the policy."""

from __future__ import annotations

from pathlib import Path

from resolvers.lifecycles import LIFECYCLES, render_markdown
from tenancy import policy

ROOT = Path(__file__).resolve().parent.parent


def test_docs_lifecycles_is_generated_from_the_tables() -> None:
    on_disk = (ROOT / "docs" / "lifecycles.md").read_text()
    assert on_disk == render_markdown(), "run: spring lifecycles > docs/lifecycles.md"


def test_every_transition_is_performed_by_an_operation_of_the_policy_or_the_system() -> None:
    for lifecycle in LIFECYCLES:
        for transition in lifecycle.transitions:
            if transition.operation is not None:
                assert transition.operation in policy.OPERATIONS, transition


def test_every_state_is_reachable_from_the_initial_state() -> None:
    for lifecycle in LIFECYCLES:
        reached = {lifecycle.initial}
        changed = True
        while changed:
            changed = False
            for t in lifecycle.transitions:
                if t.target is not None and t.target not in reached and reached & set(t.sources):
                    reached.add(t.target)
                    changed = True
        assert reached == set(lifecycle.states), lifecycle.entity


def test_action_names_are_unique_per_lifecycle() -> None:
    for lifecycle in LIFECYCLES:
        actions = [t.action for t in lifecycle.transitions]
        assert len(actions) == len(set(actions)), lifecycle.entity
