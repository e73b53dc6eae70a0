"""Documents: the contract as a PDF (draft, signed copy, amendments), the merchant's uploaded
documents (Kbis, identity, bank details), their storage, download links, and retention.

- Storage (`storage.py`): `document_blobs` holds bytes by (tenant_id, sha256), `documents` the
  rows that name them (who added them, when); both under row-level security and append-only for
  the application role. Only `purge_identity_documents` (`retention.py`, run by
  `spring purge-documents` as the owner) deletes.
- A contract document (`contract.py`) is rendered from a snapshot of the contract's data
  (`snapshot.py`, drawn by resolvers/contract_pdf.py), deterministically: the same data give the
  same sha256. A DRAFT's document is rendered from the draft as it is now, so it follows every
  change; signing stores the snapshot signed (with a signature page) and it never changes after;
  each later fee version stores an amendment. The IBAN in a rendering is as the reader's role may
  read it.
- Uploads and the documents an evaluation needs: `uploads.py`; the partner's logo: `logo.py`.
- Download links (`links.py`): `/documents/{id}?lang=..&sha=..&exp=..&sig=..`, an HMAC of the
  document, its hash, the expiry and the user it was made for; the route also checks the policy
  again.
"""

from __future__ import annotations

from resolvers.documents.contract import (
    check_signed_document,
    contract_document,
    contract_documents,
    store_amendment,
    store_signed_copy,
)
from resolvers.documents.links import (
    LinkRefused,
    check_link,
    download,
    download_url,
)
from resolvers.documents.logo import (
    DEFAULT_MAX_LOGO_BYTES,
    LOGO_REMOVED,
    LOGO_SET,
    LOGO_TYPES,
    check_logo,
    logo_view,
    set_tenant_logo,
    tenant_logo,
    tenant_logo_view,
)
from resolvers.documents.retention import (
    Purged,
    purge_documents,
    purge_identity_documents,
)
from resolvers.documents.snapshot import (
    contract_snapshot,
    for_reader,
    iban_access,
    logo_bytes,
    render_view,
    stored_view,
    stored_view_of,
)
from resolvers.documents.storage import (
    DEFAULT_IDENTITY_RETENTION_DAYS,
    DEFAULT_MAX_UPLOAD_BYTES,
    DOCUMENT_ADDED,
    EVALUATION_KINDS_SET,
    EXECUTABLE_MAGIC,
    LANGUAGES,
    LINK_LIFETIME,
    MAGIC,
    PDF,
    DocumentView,
    decode_id,
    encode_id,
    sha256_hex,
    sniff,
)
from resolvers.documents.uploads import (
    Upload,
    check_evaluation_documents,
    check_upload,
    company_documents,
    evaluation_kinds,
    missing_kinds,
    set_evaluation_document_kinds,
    upload_company_document,
)

__all__ = [
    "DEFAULT_IDENTITY_RETENTION_DAYS",
    "DEFAULT_MAX_LOGO_BYTES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DOCUMENT_ADDED",
    "EVALUATION_KINDS_SET",
    "EXECUTABLE_MAGIC",
    "LANGUAGES",
    "LINK_LIFETIME",
    "LOGO_REMOVED",
    "LOGO_SET",
    "LOGO_TYPES",
    "MAGIC",
    "PDF",
    "DocumentView",
    "LinkRefused",
    "Purged",
    "Upload",
    "check_evaluation_documents",
    "check_link",
    "check_logo",
    "check_signed_document",
    "check_upload",
    "company_documents",
    "contract_document",
    "contract_documents",
    "contract_snapshot",
    "decode_id",
    "download",
    "download_url",
    "encode_id",
    "evaluation_kinds",
    "for_reader",
    "iban_access",
    "logo_bytes",
    "logo_view",
    "missing_kinds",
    "purge_documents",
    "purge_identity_documents",
    "render_view",
    "set_evaluation_document_kinds",
    "set_tenant_logo",
    "sha256_hex",
    "sniff",
    "store_amendment",
    "store_signed_copy",
    "stored_view",
    "stored_view_of",
    "tenant_logo",
    "tenant_logo_view",
    "upload_company_document",
]
