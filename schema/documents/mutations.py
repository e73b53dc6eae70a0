"""uploadCompanyDocument and setTenantLogo (GraphQL multipart request), and
setEvaluationDocumentKinds."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from db.enums import DocumentKind as DocumentKindValue
from resolvers import documents as rd
from resolvers.errors import UserErrorCode
from resolvers.usecase import refuse
from schema.documents.types import Document, DocumentKind, evaluation_kinds
from schema.errors import UserError
from schema.mutations import actor_of, answer, input_id, mutation_field


@strawberry.input(
    description="A merchant's document to add to a company, sent as a GraphQL multipart "
    "request (the file in the `file` part; only with a bearer token)."
)
class UploadCompanyDocumentInput:
    company_id: strawberry.ID = strawberry.field(description="The company it belongs to.")
    kind: DocumentKind = strawberry.field(
        description="KBIS, IDENTITY, BANK_DETAILS or OTHER (the other kinds are generated)."
    )
    file: Upload = strawberry.field(
        description="The file: PDF, JPEG or PNG, recognised by its bytes (not its name); "
        "10 MB at most (SPRING_MAX_UPLOAD_BYTES); a PDF whose text holds a card number is "
        "refused."
    )


@strawberry.type(description="What uploadCompanyDocument answers.")
class UploadCompanyDocumentPayload:
    document: Document | None = strawberry.field(description="The document stored.")
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was stored (empty file, too large, not a PDF/JPEG/PNG, ...)."
    )


@strawberry.input(description="The document kinds a company's evaluation needs.")
class SetEvaluationDocumentKindsInput:
    kinds: list[DocumentKind] | None = strawberry.field(
        default=None,
        description="Uploadable kinds (KBIS, IDENTITY, BANK_DETAILS, OTHER); null or empty: "
        "evaluations need no document.",
    )


@strawberry.type(description="What setEvaluationDocumentKinds answers.")
class SetEvaluationDocumentKindsPayload:
    kinds: list[DocumentKind] | None = strawberry.field(
        description="The kinds evaluations now need."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.input(
    description="The tenant's new logo, sent as a GraphQL multipart request (the file in the "
    "`file` part; only with a bearer token), or its removal. Give `file` or `remove`, not both."
)
class SetTenantLogoInput:
    file: Upload | None = strawberry.field(
        default=None,
        description="The logo: a PNG or JPEG image, recognised by its bytes (not its name), "
        "512 KB at most (SPRING_MAX_LOGO_BYTES) and 4096 pixels per side at most.",
    )
    remove: bool | None = strawberry.field(
        default=None, description="True: remove the logo (contract documents show none)."
    )


@strawberry.type(description="What setTenantLogo answers.")
class SetTenantLogoPayload:
    logo: Document | None = strawberry.field(
        description="The tenant's logo now (null: none, or refused)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing changed (empty file, too large, not a PNG or JPEG, ...)."
    )


def max_logo_bytes(info: Info) -> int:
    """SPRING_MAX_LOGO_BYTES, from the app's settings (the default where there are none)."""
    request = info.context.request
    app = request.scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    return getattr(settings, "max_logo_bytes", rd.DEFAULT_MAX_LOGO_BYTES)


async def _read(info: Info, file: Any) -> rd.Upload:
    if not hasattr(file, "read"):  # a value in the JSON variables, not a multipart file part
        raise refuse(
            info.context.locale(), ["input", "file"], UserErrorCode.INVALID, "document_not_a_file"
        )
    content = await file.read()
    if not isinstance(content, bytes):
        content = content.encode()
    return rd.Upload(
        filename=getattr(file, "filename", None),
        content_type=getattr(file, "content_type", None),
        content=content,
    )


async def upload_company_document(
    info: Info,
    input: Annotated[
        UploadCompanyDocumentInput,
        strawberry.argument(description="The company, the kind and the file."),
    ],
) -> UploadCompanyDocumentPayload:
    async def work() -> Any:
        company_id = input_id(info, input.company_id, "Company", ["input", "companyId"])
        upload = await _read(info, input.file)
        row = await rd.upload_company_document(
            actor_of(info),
            company_id,
            DocumentKindValue(input.kind.value),
            upload,
            getattr(info.context, "max_upload_bytes", rd.DEFAULT_MAX_UPLOAD_BYTES),
        )
        return Document.of_row(row)

    return await answer(info, work(), UploadCompanyDocumentPayload, "document")


async def set_evaluation_document_kinds(
    info: Info,
    input: Annotated[
        SetEvaluationDocumentKindsInput,
        strawberry.argument(description="The kinds evaluations need from now on."),
    ],
) -> SetEvaluationDocumentKindsPayload:
    async def work() -> Any:
        await rd.set_evaluation_document_kinds(
            actor_of(info), [DocumentKindValue(k.value) for k in input.kinds or ()]
        )
        return await evaluation_kinds(info)

    return await answer(info, work(), SetEvaluationDocumentKindsPayload, "kinds")


async def set_tenant_logo(
    info: Info,
    input: Annotated[
        SetTenantLogoInput,
        strawberry.argument(description="The new logo's file, or remove: true."),
    ],
) -> SetTenantLogoPayload:
    async def work() -> Any:
        if (input.file is None) == (not input.remove):
            raise refuse(
                info.context.locale(), ["input"], UserErrorCode.INVALID, "logo_file_or_remove"
            )
        upload = await _read(info, input.file) if input.file is not None else None
        view = await rd.set_tenant_logo(actor_of(info), upload, max_logo_bytes(info))
        return Document.of_view(view) if view is not None else None

    return await answer(info, work(), SetTenantLogoPayload, "logo")


@strawberry.type
class DocumentMutation:
    upload_company_document: UploadCompanyDocumentPayload | None = mutation_field(
        upload_company_document,
        "uploadCompanyDocument",
        "Add a merchant's document (Kbis, identity document, bank details, other) to a "
        "company, through the GraphQL multipart request convention. Documents are never "
        "deleted by staff.",
    )
    set_evaluation_document_kinds: SetEvaluationDocumentKindsPayload | None = mutation_field(
        set_evaluation_document_kinds,
        "setEvaluationDocumentKinds",
        "Say which document kinds a company must have before its evaluation may be approved.",
    )
    set_tenant_logo: SetTenantLogoPayload | None = mutation_field(
        set_tenant_logo,
        "setTenantLogo",
        "Set or remove the tenant's logo, drawn on the first page of its contract documents "
        "and amendments (GraphQL multipart request). A draft's document shows the change at "
        "once; a signed copy or an amendment keeps the logo it was made with. Journaled "
        "`tenant.logo_set` / `tenant.logo_removed`.",
    )
