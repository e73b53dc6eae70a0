"""Every message a person reads follows Accept-Language, French by default (issue 12, item 18):
login's user errors, every top-level error (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND,
BAD_USER_INPUT, the masked INTERNAL_SERVER_ERROR), and INVALID_TRANSITION, which names the
entity and its state in the reader's language and lists only what the reader may do.
"""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.ids import global_id
from resolvers.lifecycles import CONTRACT, LIFECYCLES, SERVICE, STATE_LABELS, TERMINAL
from tests.conftest import GraphQLClient
from tests.contracts.helpers import SIGN, SUSPEND, add_contract, add_merchant
from tests.factories import PASSWORD, TenantGraph, add_user, make_tenant_graph

ROOT = Path(__file__).resolve().parent.parent
EN = {"Accept-Language": "en-GB,en;q=0.8"}


@pytest.fixture(scope="module")
async def team(owner_engine: AsyncEngine) -> tuple[TenantGraph, dict[str, str]]:
    graph = await make_tenant_graph(owner_engine)
    users = {r: await add_user(owner_engine, graph, r) for r in ("SELLER", "SUPERVISOR")}
    return graph, users


async def _as(client: GraphQLClient, email: str) -> GraphQLClient:
    other = GraphQLClient(client.http)
    assert (await other.login(email, PASSWORD))["token"]
    return other


async def test_login_user_errors_follow_accept_language(
    client: GraphQLClient, team: tuple[TenantGraph, dict]
) -> None:
    login = "mutation($i: LoginInput!) { login(input: $i) { token userErrors { code message } } }"
    variables = {"i": {"email": team[1]["SELLER"], "password": "wrong password"}}
    french = (await client.post(login, variables))["data"]["login"]["userErrors"]
    english = (await client.post(login, variables, **EN))["data"]["login"]["userErrors"]
    assert french == [
        {"code": "INVALID_CREDENTIALS", "message": "E-mail ou mot de passe incorrect."}
    ]
    assert english == [
        {"code": "INVALID_CREDENTIALS", "message": "E-mail or password is incorrect."}
    ]


async def test_top_level_errors_follow_accept_language(
    client: GraphQLClient, team: tuple[TenantGraph, dict]
) -> None:
    _, users = team
    seller = await _as(client, users["SELLER"])
    cases = [
        # (caller, query, code, French, English)
        (client, "{ me { email } }", "UNAUTHENTICATED", "connectez-vous", "log in first"),
        (
            seller,
            "{ terminalEvents(first: 1) { totalCount } }",
            "FORBIDDEN",
            "ne peut pas exécuter terminalEvents",
            "may not run terminalEvents",
        ),
        (
            seller,
            f'{{ node(id: "{global_id("Shop", uuid.uuid4())}") {{ id }} }}',
            "NOT_FOUND",
            "Aucun objet",
            "No object",
        ),
        (
            seller,
            "{ companies(first: 101) { totalCount } }",
            "BAD_USER_INPUT",
            "doit être entre 0 et 100",
            "must be between 0 and 100",
        ),
        (
            seller,
            '{ search(text: "a") { __typename } }',
            "BAD_USER_INPUT",
            "Tapez au moins",
            "Type at least",
        ),
    ]
    for caller, query, code, french, english in cases:
        for headers, expected in (({}, french), (EN, english)):
            body = await caller.post(query, **headers)
            assert "errors" in body, (query, body)
            (error,) = body["errors"]
            assert error["extensions"]["code"] == code, (query, body)
            assert expected in error["message"], (query, headers, error["message"])


async def test_a_denied_field_reads_forbidden_in_the_readers_language(
    client: GraphQLClient, team: tuple[TenantGraph, dict]
) -> None:
    _, users = team
    seller = await _as(client, users["SELLER"])
    query = "{ transactions(first: 1) { edges { node { authorizationCode } } } }"
    for headers, expected in (
        ({}, "Votre rôle ne peut pas lire Transaction.authorizationCode."),
        (EN, "Your role may not read Transaction.authorizationCode."),
    ):
        body = await seller.post(query, **headers)
        assert [(e["extensions"]["code"], e["message"]) for e in body["errors"]] == [
            ("FORBIDDEN", expected)
        ]


async def test_invalid_transition_names_entity_and_state_and_only_the_readers_actions(
    client: GraphQLClient, owner_engine: AsyncEngine, team: tuple[TenantGraph, dict]
) -> None:
    graph, users = team
    seller = await _as(client, users["SELLER"])
    supervisor = await _as(client, users["SUPERVISOR"])
    merchant = await add_merchant(owner_engine, graph, "ACTIVE")
    contract = global_id("Contract", await add_contract(owner_engine, graph, merchant, "ACTIVE"))

    # Signing an ACTIVE contract: the seller may only... nothing the table opens to it from
    # ACTIVE (suspend, terminate and fee changes are the supervisor's).
    sign = {"i": {"id": contract, "signatoryName": "Léa", "documentSha256": "0" * 64}}
    body = await seller.post(SIGN, sign)
    (error,) = body["data"]["signContract"]["userErrors"]
    assert error["code"] == "INVALID_TRANSITION"
    assert error["message"] == (
        "Action « signContract » impossible : le contrat est actif (ACTIVE). "
        "Aucune action ne vous est ouverte dans cet état."
    )
    body = await supervisor.post(SIGN, sign, **EN)
    (error,) = body["data"]["signContract"]["userErrors"]
    assert error["message"] == (
        "Cannot signContract: the contract is active (ACTIVE). What you may do: "
        "changeContractFees, suspendContract, terminateContract."
    )
    # Resuming needs SUSPENDED: French by default, the supervisor's own actions.
    body = await supervisor.post(
        "mutation($i: ResumeContractInput!) { resumeContract(input: $i) {"
        " userErrors { code message } } }",
        {"i": {"id": contract}},
    )
    (error,) = body["data"]["resumeContract"]["userErrors"]
    assert error["message"].startswith(
        "Action « resumeContract » impossible : le contrat est actif"
    )
    assert "suspendContract" in error["message"] and "activate" not in error["message"]
    assert SUSPEND  # (imported for the table's operations used above)


def test_every_state_has_its_words_and_no_system_action_is_ever_offered() -> None:
    for lifecycle in LIFECYCLES:
        labels = STATE_LABELS[lifecycle.entity]
        for state in lifecycle.states:
            assert set(labels[state.value]) == {"fr", "en"}, (lifecycle.entity, state)
    from resolvers.lifecycles import operations_open_to

    for lifecycle in (SERVICE, TERMINAL, CONTRACT):
        for state in lifecycle.states:
            offered = operations_open_to(lifecycle, state, None)
            assert "expireBlock" not in offered and None not in offered
            assert all(op[0].islower() and op != "expireBlock" for op in offered)


def test_no_top_level_error_is_raised_with_a_plain_english_message() -> None:
    """The class: a top-level error built from a literal string would reach a French reader in
    English. Every Unauthenticated/Forbidden/NotFound/BadUserInput/QueryTooComplex raised in
    the code takes a Text (or a message already rendered in the reader's locale)."""
    names = {"Unauthenticated", "Forbidden", "NotFound", "BadUserInput", "QueryTooComplex"}
    found = []
    for folder in ("schema", "resolvers", "spring", "tenancy"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in names
                    and node.args
                    and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({}, "niveaux d'imbrication"), (EN, "levels deep")],
)
async def test_a_query_too_complex_is_refused_in_the_readers_language(
    client: GraphQLClient, team: tuple[TenantGraph, dict[str, str]], headers: dict, expected: str
) -> None:
    """The limits' refusals (QUERY_TOO_COMPLEX) are top-level errors people read too."""
    _, emails = team
    caller = await _as(client, next(iter(emails.values())))
    path = ["me", "requests", "edges", "node", "company", "shops", "edges", "node"]
    path += ["company", "shops", "edges", "node"]
    deep = "{ " + " { ".join(path) + " { id" + " }" * len(path) + " }"
    body = await caller.post(deep, **headers)
    errors = body["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["QUERY_TOO_COMPLEX"], errors
    assert expected in errors[0]["message"], errors[0]["message"]
    assert errors[0]["extensions"]["limit"] == "depth"
