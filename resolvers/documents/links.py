"""Download links: signed, short-lived, made for one user; the route checks the policy again."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from db import models as m
from resolvers.documents.contract import contract_document
from resolvers.documents.logo import tenant_logo_view
from resolvers.documents.snapshot import stored_view, stored_view_of
from resolvers.documents.storage import LINK_LIFETIME, DocumentView, _blob, _now, decode_id
from tenancy import policy
from tenancy.principal import Principal


def _link_mac(secret: str, doc_id: str, lang: str, sha: str, exp: int, user: str) -> str:
    message = f"{doc_id}|{lang}|{sha}|{exp}|{user}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def download_url(
    secrets: Sequence[str],
    doc_id: str,
    language: str | None,
    sha: str,
    principal: Principal,
    now: dt.datetime | None = None,
) -> str:
    """A link to the document for this user only, valid LINK_LIFETIME."""
    exp = int(((now or _now()) + LINK_LIFETIME).timestamp())
    lang = language or "-"
    user = str(principal.user_id)
    query = {
        "lang": lang,
        "sha": sha,
        "exp": exp,
        "sig": _link_mac(secrets[0], doc_id, lang, sha, exp, user),
    }
    return f"/documents/{doc_id}?{urlencode(query)}"


class LinkRefused(Exception):
    """A download link that does not work: `status` is the HTTP answer, `reason` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def check_link(
    secrets: Sequence[str],
    doc_id: str,
    params: dict[str, str],
    principal: Principal,
    now: dt.datetime | None = None,
) -> tuple[str | None, str]:
    """The link's language and hash, if it was made for this user and has not expired."""
    try:
        lang, sha, exp, sig = params["lang"], params["sha"], int(params["exp"]), params["sig"]
    except (KeyError, ValueError) as exc:
        raise LinkRefused(400, "incomplete download link") from exc
    user = str(principal.user_id)
    if not any(
        hmac.compare_digest(_link_mac(s, doc_id, lang, sha, exp, user), sig) for s in secrets
    ):
        raise LinkRefused(403, "this link was not made for you")
    if exp < (now or _now()).timestamp():
        raise LinkRefused(410, "this link has expired: ask for the document again")
    return (None if lang == "-" else lang), sha


async def download(
    session: AsyncSession, principal: Principal, doc_id: str, language: str | None, sha: str
) -> DocumentView:
    """The document a link names, as this reader may read it; refused when the policy
    no longer allows it, or when it changed since the link was made (a draft edited)."""
    decoded = decode_id(doc_id)
    if decoded is None:
        raise LinkRefused(404, "no such document")
    kind, value = decoded
    if kind == "ContractDraft":
        if policy.field_access(principal, "Contract.document") is None:
            raise LinkRefused(403, "your role may not read contract documents")
        contract = await session.get(m.Contract, (principal.tenant_id, value))
        if contract is None:
            raise LinkRefused(404, "no such document")
        view = await contract_document(session, principal, contract, language)
    elif kind == "Document":
        row = await session.get(m.Document, (principal.tenant_id, value))
        if row is None:
            raise LinkRefused(404, "no such document")
        field = "Contract.documents" if row.snapshot is not None else "Company.documents"
        if policy.field_access(principal, field) is None:
            raise LinkRefused(403, "your role may not read this document")
        if row.snapshot is not None:
            view = await stored_view_of(session, row, principal, language)
        else:
            content = await _blob(session, row.tenant_id, row.sha256)
            if content is None:
                raise LinkRefused(410, "this document was purged (retention period over)")
            view = stored_view(row, principal, language, content)
    elif kind == "TenantLogo":
        if value != principal.tenant_id or policy.field_access(principal, "Tenant.logo") is None:
            raise LinkRefused(404, "no such document")
        logo_view = await tenant_logo_view(session, value)
        if logo_view is None:
            raise LinkRefused(410, "the tenant's logo was removed or changed: ask again")
        view = logo_view
    else:
        raise LinkRefused(404, "no such document")
    if view.sha256 != sha:
        raise LinkRefused(410, "the document changed since this link was made: ask again")
    return view
