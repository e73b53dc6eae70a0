"""Mutations of terminals and services: register, assign, options, activate, block, deactivate."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import commands as rc
from resolvers import terminals as fleet
from resolvers.loaders import TerminalByIdLoader
from resolvers.usecase import Refused
from schema import descriptions as d
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import ReceiptMode, ServiceKind, TerminalCommandKind, TerminalKind
from schema.errors import UserError, user_errors
from schema.lazy import ServiceT
from schema.mutations import actor_of, answer, attempt, input_id, mutation_field
from schema.terminals.types import Terminal, TerminalCommand, TerminalOptions


@strawberry.input(description="A new terminal, put in stock.")
class RegisterTerminalInput:
    kind: TerminalKind = strawberry.field(description="PAX card terminal or SoftPOS phone.")
    tid: str = strawberry.field(description="Terminal ID: 8 upper-case letters or digits.")
    serial_number: str | None = strawberry.field(
        default=None, description="Required for a PAX terminal; unique in the partner's fleet."
    )
    model: str | None = strawberry.field(
        default=None, description="PAX model (e.g. A920) or the phone's model."
    )
    os_version: str | None = strawberry.field(
        default=None, description="Operating system version (SoftPOS phones)."
    )
    firmware_version: str | None = strawberry.field(
        default=None, description="Firmware version installed, if known."
    )
    app_version: str | None = strawberry.field(
        default=None, description="Payment application version installed, if known."
    )


@strawberry.input(description="Put a terminal (IN_STOCK or ASSIGNED) in an open shop.")
class AssignTerminalInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the terminal to place.")
    shop_id: strawberry.ID = strawberry.field(
        description="Global ID of the open shop that receives it."
    )
    expected_version: int | None = d.expected_version_field("terminal")


@strawberry.input(
    description="Options of a PAX terminal; omitted (or null) fields keep the latest "
    "version's value. Makes a new version, PENDING until the device downloads it."
)
class UpdateTerminalOptionsInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the PAX terminal to configure.")
    expected_version: int | None = d.expected_version_field("terminal")
    contactless: bool | None = strawberry.field(
        default=None, description="Accept contactless cards and wallets."
    )
    tipping: bool | None = strawberry.field(
        default=None, description="Ask the cardholder for a tip."
    )
    cashback: bool | None = strawberry.field(
        default=None, description="Allow cash back with a purchase."
    )
    pre_authorization: bool | None = strawberry.field(
        default=None, description="Allow pre-authorizations."
    )
    manual_entry: bool | None = strawberry.field(
        default=None, description="Allow keying in the card number by hand."
    )
    receipt_mode: ReceiptMode | None = strawberry.field(
        default=None, description="How to give the cardholder's receipt."
    )
    language: str | None = strawberry.field(default=None, description="ISO 639-1, e.g. fr.")
    settlement_time: str | None = strawberry.field(
        default=None,
        description="Daily settlement (télécollecte), HH:MM, in the tenant's local time "
        "(`Tenant.timeZone`), e.g. 22:30 in Guadeloupe.",
    )


@strawberry.input(
    description="Activate a service of a contract on a shop. PAY_ON_SITE needs a PAX "
    "terminal (IN_STOCK, or ASSIGNED to that shop); PAYWISH_SOFTPOS takes no terminal and "
    "returns a one-time activation code for the phone."
)
class ActivateServiceInput:
    contract_id: strawberry.ID = strawberry.field(
        description="Global ID of the SIGNED or ACTIVE contract that provides for the service."
    )
    shop_id: strawberry.ID = strawberry.field(
        description="Global ID of the shop (covered by the contract) where it takes payments."
    )
    kind: ServiceKind = strawberry.field(description="Which service to activate.")
    terminal_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="PAY_ON_SITE: global ID of the PAX terminal to use; omit for PAYWISH_SOFTPOS.",
    )


@strawberry.input(description="Block an ACTIVE service; the reason is required.")
class BlockServiceInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the service to block.")
    reason: str = strawberry.field(
        description="Why it is blocked; shown to staff and kept in the journal."
    )
    until: dt.datetime | None = strawberry.field(
        default=None, description="When set (in the future), the service unblocks itself then."
    )
    expected_version: int | None = d.expected_version_field("service")


@strawberry.input(description="Unblock a BLOCKED service.")
class UnblockServiceInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the service to unblock.")
    expected_version: int | None = d.expected_version_field("service")
    reason: str | None = strawberry.field(
        default=None, description="Why it is unblocked, for the journal (optional)."
    )


@strawberry.input(
    description="Deactivate a service for good; its terminal is RETURNED (out of its shop) "
    "when no other live service uses it, as when its contract is terminated."
)
class DeactivateServiceInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the service to deactivate.")
    reason: str = strawberry.field(description="Why it ends; kept in the journal.")
    expected_version: int | None = d.expected_version_field("service")


@strawberry.input(description="Block an ACTIVE terminal; the reason is required.")
class BlockTerminalInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the terminal to block.")
    reason: str = strawberry.field(
        description="Why it is blocked; shown to staff and kept in the journal."
    )
    until: dt.datetime | None = strawberry.field(
        default=None, description="When set (in the future), the terminal unblocks itself then."
    )
    expected_version: int | None = d.expected_version_field("terminal")


@strawberry.input(description="Unblock a BLOCKED terminal.")
class UnblockTerminalInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the terminal to unblock.")
    expected_version: int | None = d.expected_version_field("terminal")
    reason: str | None = strawberry.field(
        default=None, description="Why it is unblocked, for the journal (optional)."
    )


@strawberry.input(
    description="Put a RETURNED terminal back in stock (IN_STOCK) after checking it; the "
    "reason (what the check found) is required."
)
class RestockTerminalInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the returned terminal.")
    reason: str = strawberry.field(
        description="What the check of the device found; kept in the journal."
    )
    expected_version: int | None = d.expected_version_field("terminal")


@strawberry.input(
    description="Send a command to a terminal that is at a merchant's (ASSIGNED, ACTIVE or "
    "BLOCKED): it is queued for the terminal gateway."
)
class SendTerminalCommandInput:
    terminal_id: strawberry.ID = strawberry.field(description="The terminal's global id.")
    command: TerminalCommandKind = strawberry.field(
        description="What to do: DOWNLOAD_PARAMETERS (PAX only), REBOOT or UPDATE_APP."
    )


@strawberry.input(
    description="Send the same command to up to 100 terminals (a fleet's options push); "
    "each terminal is handled on its own and reported in `results`."
)
class SendTerminalCommandsInput:
    terminal_ids: list[strawberry.ID] = strawberry.field(
        description="The terminals' global ids, 1 to 100."
    )
    command: TerminalCommandKind = strawberry.field(
        description="What to do: DOWNLOAD_PARAMETERS (PAX only), REBOOT or UPDATE_APP."
    )


@strawberry.input(
    description="A new one-time activation code for a PENDING SoftPOS service whose code "
    "was lost or expired."
)
class RegenerateActivationCodeInput:
    service_id: strawberry.ID = strawberry.field(description="The service's global id.")
    expected_version: int | None = strawberry.field(
        default=None, description="The service's version; CONFLICT if it changed meanwhile."
    )


@strawberry.type(description="The command queued by sendTerminalCommand.")
class SendTerminalCommandPayload:
    command: TerminalCommand | None = strawberry.field(
        description="The new command, QUEUED; null when refused (see userErrors)."
    )
    terminal: Terminal | None = strawberry.field(description="The terminal it is for.")
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was queued (empty on success)."
    )


@strawberry.type(description="What became of the command for one terminal.")
class TerminalCommandResult:
    terminal_id: strawberry.ID = strawberry.field(
        description="The terminal's global id, as given in the input."
    )
    command: TerminalCommand | None = strawberry.field(
        description="The command queued for it; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why nothing was queued for this terminal (empty on success); paths "
        "name its place in `input.terminalIds`."
    )


@strawberry.type(description="The commands queued by sendTerminalCommands, one per terminal.")
class SendTerminalCommandsPayload:
    results: list[TerminalCommandResult] | None = strawberry.field(
        description="One per terminal given, in the input's order; null when the whole "
        "input was refused (no terminal, more than 100, or every terminal refused)."
    )
    queued: int = strawberry.field(description="How many commands were queued.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the whole input was refused: no terminal, or every terminal refused "
        "(then each terminal's errors, their paths naming its place in `input.terminalIds`). "
        "When some terminals were queued, each refused one's errors are in its result."
    )


@strawberry.type(description="The SoftPOS service with its new activation code.")
class RegenerateActivationCodePayload:
    service: ServiceT | None = strawberry.field(
        description="The service, still PENDING, with its new code's expiry."
    )
    activation_code: str | None = strawberry.field(
        description="The new one-time code for the phone: shown this once and never again "
        "(only its hash is kept); valid 24 hours. The previous code no longer works."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why no code was made (empty on success)."
    )


@strawberry.type(description="The result of a terminal mutation.")
class TerminalPayload:
    terminal: Terminal | None = strawberry.field(
        description="The terminal as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `updateTerminalOptions`.")
class TerminalOptionsPayload:
    terminal: Terminal | None = strawberry.field(
        description="The terminal, its `optionsStatus` now PENDING; null when the input was "
        "refused."
    )
    options: TerminalOptions | None = strawberry.field(
        description="The latest options version (the new one, PENDING until acknowledged)."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of a service mutation.")
class ServicePayload:
    service: ServiceT | None = strawberry.field(
        description="The service as it is after the change; null when the input was refused."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `deactivateService`.")
class DeactivateServicePayload:
    service: ServiceT | None = strawberry.field(
        description="The service, now DEACTIVATED; null when the input was refused."
    )
    terminal: Terminal | None = strawberry.field(
        description="The service's terminal (RETURNED when no other live service uses it)."
    )
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="The result of `activateService`.")
class ActivateServicePayload:
    service: ServiceT | None = strawberry.field(
        description="The new service; null when the input was refused."
    )
    terminal: Terminal | None = strawberry.field(
        description="The PAX terminal now ACTIVE in the shop; null for SoftPOS or when refused."
    )
    activation_code: str | None = strawberry.field(
        description="PAYWISH_SOFTPOS only: the one-time code the phone enrolls with. Shown "
        "this once and never again (only its hash is kept); valid 24 hours."
    )
    user_errors: list[UserError] = user_errors_field()


async def register_terminal(
    info: Info, input: Annotated[RegisterTerminalInput, MUTATION_INPUT]
) -> TerminalPayload:
    data = fleet.TerminalData(
        kind=input.kind,
        tid=input.tid,
        serial_number=input.serial_number,
        model=input.model,
        os_version=input.os_version,
        firmware_version=input.firmware_version,
        app_version=input.app_version,
    )
    return await answer(
        info, fleet.register_terminal(actor_of(info), data), TerminalPayload, "terminal"
    )


async def assign_terminal(
    info: Info, input: Annotated[AssignTerminalInput, MUTATION_INPUT]
) -> TerminalPayload:
    async def work() -> Any:
        terminal_id = input_id(info, input.id, "Terminal", ["input", "id"])
        shop_id = input_id(info, input.shop_id, "Shop", ["input", "shopId"])
        return await fleet.assign_terminal(
            actor_of(info), terminal_id, shop_id, input.expected_version
        )

    return await answer(info, work(), TerminalPayload, "terminal")


async def update_terminal_options(
    info: Info, input: Annotated[UpdateTerminalOptionsInput, MUTATION_INPUT]
) -> TerminalOptionsPayload:
    async def work() -> Any:
        terminal_id = input_id(info, input.id, "Terminal", ["input", "id"])
        change = fleet.OptionsChange(
            contactless=input.contactless,
            tipping=input.tipping,
            cashback=input.cashback,
            pre_authorization=input.pre_authorization,
            manual_entry=input.manual_entry,
            receipt_mode=input.receipt_mode,
            language=input.language,
            settlement_time=input.settlement_time,
        )
        return await fleet.update_terminal_options(
            actor_of(info), terminal_id, input.expected_version, change
        )

    return await answer(info, work(), TerminalOptionsPayload, "terminal", "options")


async def activate_service(
    info: Info, input: Annotated[ActivateServiceInput, MUTATION_INPUT]
) -> ActivateServicePayload:
    async def work() -> Any:
        p = ["input"]
        data = fleet.ActivationData(
            contract_id=input_id(info, input.contract_id, "Contract", [*p, "contractId"]),
            shop_id=input_id(info, input.shop_id, "Shop", [*p, "shopId"]),
            kind=input.kind,
            terminal_id=input_id(info, input.terminal_id, "Terminal", [*p, "terminalId"])
            if input.terminal_id is not None
            else None,
        )
        return await fleet.activate_service(actor_of(info), data)

    return await answer(
        info, work(), ActivateServicePayload, "service", "terminal", "activation_code"
    )


async def block_service(
    info: Info, input: Annotated[BlockServiceInput, MUTATION_INPUT]
) -> ServicePayload:
    async def work() -> Any:
        service_id = input_id(info, input.id, "Service", ["input", "id"])
        return await fleet.block_service(
            actor_of(info), service_id, input.reason, input.until, input.expected_version
        )

    return await answer(info, work(), ServicePayload, "service")


async def unblock_service(
    info: Info, input: Annotated[UnblockServiceInput, MUTATION_INPUT]
) -> ServicePayload:
    async def work() -> Any:
        service_id = input_id(info, input.id, "Service", ["input", "id"])
        return await fleet.unblock_service(
            actor_of(info), service_id, input.expected_version, input.reason
        )

    return await answer(info, work(), ServicePayload, "service")


async def deactivate_service(
    info: Info, input: Annotated[DeactivateServiceInput, MUTATION_INPUT]
) -> DeactivateServicePayload:
    async def work() -> Any:
        service_id = input_id(info, input.id, "Service", ["input", "id"])
        return await fleet.deactivate_service(
            actor_of(info), service_id, input.reason, input.expected_version
        )

    return await answer(info, work(), DeactivateServicePayload, "service", "terminal")


async def block_terminal(
    info: Info, input: Annotated[BlockTerminalInput, MUTATION_INPUT]
) -> TerminalPayload:
    async def work() -> Any:
        terminal_id = input_id(info, input.id, "Terminal", ["input", "id"])
        return await fleet.block_terminal(
            actor_of(info), terminal_id, input.reason, input.until, input.expected_version
        )

    return await answer(info, work(), TerminalPayload, "terminal")


async def unblock_terminal(
    info: Info, input: Annotated[UnblockTerminalInput, MUTATION_INPUT]
) -> TerminalPayload:
    async def work() -> Any:
        terminal_id = input_id(info, input.id, "Terminal", ["input", "id"])
        return await fleet.unblock_terminal(
            actor_of(info), terminal_id, input.expected_version, input.reason
        )

    return await answer(info, work(), TerminalPayload, "terminal")


async def restock_terminal(
    info: Info, input: Annotated[RestockTerminalInput, MUTATION_INPUT]
) -> TerminalPayload:
    async def work() -> Any:
        terminal_id = input_id(info, input.id, "Terminal", ["input", "id"])
        return await fleet.restock_terminal(
            actor_of(info), terminal_id, input.reason, input.expected_version
        )

    return await answer(info, work(), TerminalPayload, "terminal")


async def send_terminal_command(
    info: Info,
    input: Annotated[
        SendTerminalCommandInput,
        strawberry.argument(description="The terminal and the command to queue for it."),
    ],
) -> SendTerminalCommandPayload:
    async def work() -> Any:
        terminal_id = input_id(info, input.terminal_id, "Terminal", ["input", "terminalId"])
        return await rc.send_terminal_command(actor_of(info), terminal_id, input.command)

    command, errors = await attempt(info, work())
    terminal = None
    if command is not None:
        terminal = await info.context.loaders.get(TerminalByIdLoader).load(command.terminal_id)
    return SendTerminalCommandPayload(command=command, terminal=terminal, user_errors=errors)


async def send_terminal_commands(
    info: Info,
    input: Annotated[
        SendTerminalCommandsInput,
        strawberry.argument(
            description="The terminals (up to 100) and the command to queue for each."
        ),
    ],
) -> SendTerminalCommandsPayload:
    ids: list[Any] = []
    for i, given in enumerate(input.terminal_ids):
        try:
            ids.append(input_id(info, given, "Terminal", ["input", "terminalIds", str(i)]))
        except Refused as refused:
            ids.append(refused.errors)
    outcomes, errors = await attempt(
        info, rc.send_terminal_commands(actor_of(info), ids, input.command)
    )
    if outcomes is None:
        return SendTerminalCommandsPayload(results=None, queued=0, user_errors=errors)
    results = [
        TerminalCommandResult(
            terminal_id=strawberry.ID(str(given)),
            command=outcome.command,  # type: ignore[arg-type]
            user_errors=user_errors(outcome.errors),
        )
        for given, outcome in zip(input.terminal_ids, outcomes, strict=True)
    ]
    queued = sum(1 for o in outcomes if o.command is not None)
    return SendTerminalCommandsPayload(results=results, queued=queued, user_errors=[])


async def regenerate_activation_code(
    info: Info,
    input: Annotated[
        RegenerateActivationCodeInput,
        strawberry.argument(description="The PENDING SoftPOS service that needs a new code."),
    ],
) -> RegenerateActivationCodePayload:
    async def work() -> Any:
        service_id = input_id(info, input.service_id, "Service", ["input", "serviceId"])
        return await fleet.regenerate_activation_code(
            actor_of(info), service_id, input.expected_version
        )

    return await answer(info, work(), RegenerateActivationCodePayload, "service", "activation_code")


@strawberry.type
class TerminalMutation:
    register_terminal: TerminalPayload | None = mutation_field(
        register_terminal, "registerTerminal", "Register a terminal in stock (IN_STOCK)."
    )
    assign_terminal: TerminalPayload | None = mutation_field(
        assign_terminal, "assignTerminal", "Assign a terminal to a shop (ASSIGNED)."
    )
    update_terminal_options: TerminalOptionsPayload | None = mutation_field(
        update_terminal_options,
        "updateTerminalOptions",
        "Set a PAX terminal's options: a new version, PENDING until the device applies it.",
    )
    activate_service: ActivateServicePayload | None = mutation_field(
        activate_service,
        "activateService",
        "Activate a service (PAY_ON_SITE at once; PAYWISH_SOFTPOS with a one-time code).",
    )
    block_service: ServicePayload | None = mutation_field(
        block_service, "blockService", "Block a service, with a reason and an optional end."
    )
    unblock_service: ServicePayload | None = mutation_field(
        unblock_service, "unblockService", "Unblock a service."
    )
    deactivate_service: DeactivateServicePayload | None = mutation_field(
        deactivate_service, "deactivateService", "Deactivate a service for good (reason)."
    )
    block_terminal: TerminalPayload | None = mutation_field(
        block_terminal, "blockTerminal", "Block a terminal, with a reason and an optional end."
    )
    unblock_terminal: TerminalPayload | None = mutation_field(
        unblock_terminal, "unblockTerminal", "Unblock a terminal."
    )
    send_terminal_command: SendTerminalCommandPayload | None = mutation_field(
        send_terminal_command,
        "sendTerminalCommand",
        "Queue a command for a terminal (download its parameters, reboot, update its app) "
        "for the terminal gateway; its state shows in `Terminal.commands` and is pushed by "
        "`terminalStatusChanged`. The journal records who asked.",
    )
    send_terminal_commands: SendTerminalCommandsPayload | None = mutation_field(
        send_terminal_commands,
        "sendTerminalCommands",
        "The same command to up to 100 terminals, each handled on its own (a refused "
        "terminal writes nothing and does not stop the others).",
    )
    regenerate_activation_code: RegenerateActivationCodePayload | None = mutation_field(
        regenerate_activation_code,
        "regenerateActivationCode",
        "A new one-time activation code for a PENDING SoftPOS service whose code was lost "
        "or expired; the old code stops working at once. Journaled.",
    )
    restock_terminal: TerminalPayload | None = mutation_field(
        restock_terminal,
        "restockTerminal",
        "Put a RETURNED terminal back in stock after a check (reason), to be assigned again.",
    )
