"""Every GraphQL example in the docs (docs/*.md, README.md) is valid against the schema.

docs/live.md's first example once asked for `responseMessage { meaning }`, a field that never
existed (issue 12, item 19): a reader pasting it got a validation error. Each ```graphql block
is parsed, and each operation in it validated on its own (a block may show several).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import DocumentNode, parse, validate

from schema.schema import schema

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```graphql\n(.*?)```", re.S)
FILES = sorted([*ROOT.glob("docs/*.md"), ROOT / "README.md"])


def examples() -> list[tuple[str, str]]:
    found = []
    for path in FILES:
        for i, block in enumerate(BLOCK.findall(path.read_text())):
            found.append((f"{path.relative_to(ROOT)}#{i + 1}", block))
    return found


def test_the_docs_have_examples() -> None:
    assert len(examples()) >= 20


@pytest.mark.parametrize(("where", "source"), examples(), ids=[w for w, _ in examples()])
def test_each_example_is_valid(where: str, source: str) -> None:
    document = parse(source)
    for definition in document.definitions:
        errors = validate(schema._schema, DocumentNode(definitions=(definition,)))
        assert not errors, f"{where}: {[e.message for e in errors]}"
