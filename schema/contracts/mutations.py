"""Mutations of contracts: create, edit the draft, sign, change fees, suspend, resume, terminate."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from db.enums import ServiceKind as ServiceKindValue
from resolvers import contracts as rk
from schema import descriptions as d
from schema.contracts.types import Contract
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import ServiceKind
from schema.errors import UserError
from schema.mutations import actor_of, answer, input_id, mutation_field
from schema.requests.mutations import FeeScheduleInput


@strawberry.input(description="A new DRAFT contract for a company whose evaluation is approved.")
class CreateContractInput:
    company_id: strawberry.ID = strawberry.field(
        description="Global ID of the company (its evaluation approved) the contract is with."
    )
    service_kinds: list[ServiceKind] = strawberry.field(
        description="The services the contract provides for (at least one)."
    )
    shop_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="OPEN shops of the company covered by the contract (needed to sign).",
    )
    currency: str = strawberry.field(
        default="EUR", description="ISO 4217 currency of the fees and payments; EUR by default."
    )
    fees: FeeScheduleInput | None = strawberry.field(
        default=None, description="Fee schedule version 1 (needed to sign)."
    )


@strawberry.input(description="Changes to a DRAFT contract; omitted fields stay as they are.")
class UpdateContractDraftInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the draft contract to change.")
    expected_version: int | None = d.expected_version_field("contract")
    shop_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Replaces the shops covered."
    )
    service_kinds: list[ServiceKind] | None = strawberry.field(
        default=None, description="Replaces the services the contract provides for."
    )
    fees: FeeScheduleInput | None = strawberry.field(
        default=None, description="Replaces the draft's fee schedule (version 1)."
    )
    signatory_name: str | None = strawberry.field(
        default=None, description="Who will sign for the merchant."
    )


@strawberry.input(description="Sign a DRAFT contract.")
class SignContractInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the draft contract to sign.")
    signatory_name: str = strawberry.field(description="Who signs for the merchant.")
    document_sha256: str = strawberry.field(
        description="The `sha256` of the contract document (`Contract.document`) the "
        "signatory was shown; refused with CONFLICT when the draft changed since."
    )
    expected_version: int | None = d.expected_version_field("contract")


@strawberry.input(description="A new fee schedule version on a signed, active or suspended one.")
class ChangeContractFeesInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the contract whose fees change.")
    fees: FeeScheduleInput = strawberry.field(
        description="The new version; `effectiveFrom` defaults to today, never in the past."
    )
    reason: str = strawberry.field(
        description="Why the fees change; kept with the new version and in the journal."
    )
    expected_version: int | None = d.expected_version_field("contract")


@strawberry.input(description="Suspend an ACTIVE contract; the reason is required.")
class SuspendContractInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the active contract to suspend.")
    reason: str = strawberry.field(
        description="Why it is suspended; shown on the contract and kept in the journal."
    )
    expected_version: int | None = d.expected_version_field("contract")


@strawberry.input(description="Resume a SUSPENDED contract.")
class ResumeContractInput:
    id: strawberry.ID = strawberry.field(
        description="Global ID of the suspended contract to resume."
    )
    comment: str | None = strawberry.field(
        default=None, description="A note for the journal, if any."
    )
    expected_version: int | None = d.expected_version_field("contract")


@strawberry.input(
    description="Terminate a contract: its services are deactivated, its terminals returned."
)
class TerminateContractInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the contract to terminate.")
    reason: str = strawberry.field(
        description="Why it is terminated; shown on the contract and kept in the journal."
    )
    expected_version: int | None = d.expected_version_field("contract")


@strawberry.type(description="The result of a contract mutation.")
class ContractPayload:
    contract: Contract | None = strawberry.field(
        description="The contract as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


def _contract_id(info: Info, value: strawberry.ID) -> Any:
    return input_id(info, value, "Contract", ["input", "id"])


def _kinds(kinds: list[Any]) -> tuple[ServiceKindValue, ...]:
    return tuple(ServiceKindValue(k.value if hasattr(k, "value") else k) for k in kinds)


async def create_contract(
    info: Info, input: Annotated[CreateContractInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        data = rk.CreateContractData(
            company_id=input_id(info, input.company_id, "Company", ["input", "companyId"]),
            shop_ids=tuple(
                input_id(info, shop_id, "Shop", ["input", "shopIds", str(i)])
                for i, shop_id in enumerate(input.shop_ids)
            ),
            service_kinds=_kinds(input.service_kinds),
            currency=input.currency,
            fees=input.fees.to_domain() if input.fees is not None else None,
        )
        return await rk.create_contract(actor_of(info), data)

    return await answer(info, work(), ContractPayload, "contract")


async def update_contract_draft(
    info: Info, input: Annotated[UpdateContractDraftInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        contract_id = _contract_id(info, input.id)
        changes = rk.DraftChanges(
            shop_ids=(
                tuple(
                    input_id(info, shop_id, "Shop", ["input", "shopIds", str(i)])
                    for i, shop_id in enumerate(input.shop_ids)
                )
                if input.shop_ids is not None
                else None
            ),
            service_kinds=(
                _kinds(input.service_kinds) if input.service_kinds is not None else None
            ),
            fees=input.fees.to_domain() if input.fees is not None else None,
            signatory_name=input.signatory_name,
        )
        return await rk.update_contract_draft(
            actor_of(info), contract_id, changes, input.expected_version
        )

    return await answer(info, work(), ContractPayload, "contract")


async def sign_contract(
    info: Info, input: Annotated[SignContractInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        return await rk.sign_contract(
            actor_of(info),
            _contract_id(info, input.id),
            input.signatory_name,
            input.expected_version,
            input.document_sha256,
        )

    return await answer(info, work(), ContractPayload, "contract")


async def change_contract_fees(
    info: Info, input: Annotated[ChangeContractFeesInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        return await rk.change_contract_fees(
            actor_of(info),
            _contract_id(info, input.id),
            input.fees.to_domain(),
            input.reason,
            input.expected_version,
        )

    return await answer(info, work(), ContractPayload, "contract")


async def suspend_contract(
    info: Info, input: Annotated[SuspendContractInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        return await rk.suspend_contract(
            actor_of(info), _contract_id(info, input.id), input.reason, input.expected_version
        )

    return await answer(info, work(), ContractPayload, "contract")


async def resume_contract(
    info: Info, input: Annotated[ResumeContractInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        return await rk.resume_contract(
            actor_of(info), _contract_id(info, input.id), input.comment, input.expected_version
        )

    return await answer(info, work(), ContractPayload, "contract")


async def terminate_contract(
    info: Info, input: Annotated[TerminateContractInput, MUTATION_INPUT]
) -> ContractPayload:
    async def work() -> Any:
        return await rk.terminate_contract(
            actor_of(info), _contract_id(info, input.id), input.reason, input.expected_version
        )

    return await answer(info, work(), ContractPayload, "contract")


@strawberry.type
class ContractMutation:
    create_contract: ContractPayload | None = mutation_field(
        create_contract,
        "createContract",
        "Create a DRAFT contract (number MP-YYYY-NNNNNN) for an APPROVED or ACTIVE company.",
    )
    update_contract_draft: ContractPayload | None = mutation_field(
        update_contract_draft,
        "updateContractDraft",
        "Edit a DRAFT contract: shops covered, services, fee schedule, signatory.",
    )
    sign_contract: ContractPayload | None = mutation_field(
        sign_contract,
        "signContract",
        "Sign a DRAFT contract (it needs a shop, a service and a fee schedule) on the "
        "document the signatory was shown: its sha256 is recorded with the signatory and the "
        "time, and the signed copy (with a signature page) is kept.",
    )
    change_contract_fees: ContractPayload | None = mutation_field(
        change_contract_fees,
        "changeContractFees",
        "Add a fee schedule version to a SIGNED, ACTIVE or SUSPENDED contract, from its "
        "effective date; earlier versions are kept. Sellers open a FEE_CHANGE request instead.",
    )
    suspend_contract: ContractPayload | None = mutation_field(
        suspend_contract, "suspendContract", "Suspend an ACTIVE contract, with the reason."
    )
    resume_contract: ContractPayload | None = mutation_field(
        resume_contract, "resumeContract", "Resume a SUSPENDED contract."
    )
    terminate_contract: ContractPayload | None = mutation_field(
        terminate_contract,
        "terminateContract",
        "Terminate a contract, with the reason: its services are deactivated and their "
        "terminals RETURNED, in one transaction.",
    )
