"""The console shows journal actions in words (console/src/components/journalActions.ts and
the `journalAction` labels of console/src/i18n/): every action a use case writes is in the
catalogue, and every action of the catalogue has its words in French and in English. An action
added to resolvers/ without them fails here (the Journal would show its code)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = "company|shop|contract|service|terminal|request|user|tenant"
#: Actions whose kind is computed (`f"{blocks.kind.lower()}.blocked"`: a service or a terminal).
COMPUTED = {"service.blocked", "service.unblocked", "terminal.blocked", "terminal.unblocked"}


def written_by_use_cases() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "resolvers").rglob("*.py"):
        found |= set(re.findall(rf'"((?:{KINDS})\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    return found | COMPUTED


def catalogue() -> set[str]:
    text = (ROOT / "console/src/components/journalActions.ts").read_text(encoding="utf-8")
    return set(re.findall(r'"([a-z]+\.[a-z_]+)"', text))


def labelled(language: str) -> set[str]:
    text = (ROOT / f"console/src/i18n/{language}.ts").read_text(encoding="utf-8")
    block = re.search(r"\n  journalAction: \{\n(.*?)\n  \},\n", text, re.S)
    assert block, f"no journalAction labels in {language}.ts"
    found: set[str] = set()
    for kind, verbs in re.findall(r"^    ([a-z]+): \{ (.*) \},$", block.group(1), re.M):
        found |= {f"{kind}.{verb}" for verb in re.findall(r'([a-z_]+): "[^"]+"', verbs)}
    return found


def test_every_action_a_use_case_writes_is_in_the_console_catalogue() -> None:
    written = written_by_use_cases()
    assert len(written) > 40
    assert written - catalogue() == set()


def test_every_action_of_the_catalogue_has_words_in_both_languages() -> None:
    for language in ("fr", "en"):
        assert catalogue() - labelled(language) == set(), language
