"""Ingestion by the acquiring platform (role SERVICE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.arguments import InputContext

from resolvers import ingest
from resolvers import terminals as fleet
from resolvers.loaders import TerminalByIdLoader
from resolvers.usecase import Problems, Refused
from schema.contracts.types import Service
from schema.descriptions import MUTATION_INPUT, user_errors_field
from schema.enums import (
    CardScheme,
    EntryMode,
    TerminalEventKind,
    TransactionStatus,
    TransactionType,
)
from schema.errors import UserError
from schema.mutations import actor_of, attempt, input_id, mutation_field
from schema.scalars import JSON, Long
from schema.terminals.types import Terminal, TerminalEvent
from schema.transactions.types import Transaction


@strawberry.input(description="A transaction as the acquiring platform saw it.")
class TransactionInput:
    external_id: str = strawberry.field(description="Your id for it: sending it again is safe.")
    tid: str = strawberry.field(description="The terminal's TID.")
    type: TransactionType = strawberry.field(
        description="What the transaction does (purchase, refund...)."
    )
    amount: Long = strawberry.field(
        description="Amount in minor units of `currency` (cents for EUR), 0 or more."
    )
    currency: str = strawberry.field(description="ISO 4217 currency of `amount` (e.g. EUR).")
    scheme: CardScheme = strawberry.field(description="Card scheme the payment went through.")
    entry_mode: EntryMode = strawberry.field(description="How the card was read.")
    status: TransactionStatus = strawberry.field(
        description="How the transaction ended. Recorded as DECLINED anyway when the service or "
        "terminal is blocked."
    )
    response_code: str = strawberry.field(
        description="ISO 8583 response code (field 39), e.g. 00 approved, 51 insufficient funds."
    )
    occurred_at: dt.datetime = strawberry.field(
        description="When it happened at the terminal (UTC, or with an offset); not in the future."
    )
    masked_pan: str | None = strawberry.field(
        default=None, description="First 6 and last 4 digits at most, e.g. 497010******1234."
    )
    authorization_code: str | None = strawberry.field(
        default=None, description="The issuer's authorization code, for an approved transaction."
    )
    original_external_id: str | None = strawberry.field(
        default=None, description="For a reversal, refund or completion: the original's id."
    )


@strawberry.input(
    description="A batch of transactions from the acquiring platform (machine accounts)."
)
class RecordTransactionsInput:
    transactions: list[TransactionInput] = strawberry.field(description="At most 500.")


def _transactions_from_input(
    cls: type, value: Mapping[str, Any], context: InputContext
) -> list[ingest.TransactionData]:
    """The batch as the use case takes it, straight from graphql-core's coerced input.

    graphql-core has already checked and coerced every item (required fields present, enums
    as `db.enums` members, `amount` a 64-bit int, `occurredAt` a datetime, absent optional
    fields filled with their published default, null): building each `TransactionData` from
    that dict is all that is left. strawberry's generic conversion (a `TransactionInput` per
    item, each field's type resolved again on every call) cost about 65 µs per transaction,
    a third of the server's time on a batch of 500; this costs about 1 µs.
    The use case validates the values exactly as before (same user errors, same paths)."""
    data = ingest.TransactionData
    return [
        data(
            external_id=item["externalId"],
            tid=item["tid"],
            type=item["type"],
            amount=item["amount"],
            currency=item["currency"],
            scheme=item["scheme"],
            entry_mode=item["entryMode"],
            status=item["status"],
            response_code=item["responseCode"],
            occurred_at=item["occurredAt"],
            masked_pan=item.get("maskedPan"),
            authorization_code=item.get("authorizationCode"),
            original_external_id=item.get("originalExternalId"),
        )
        for item in value["transactions"]
    ]


# The resolver receives the batch as `list[TransactionData]` (the SDL still shows the typed
# RecordTransactionsInput: strawberry's `from_input` hook only replaces how the argument's
# coerced value becomes a Python value).
RecordTransactionsInput.__strawberry_definition__.from_input = _transactions_from_input  # type: ignore[attr-defined]


@strawberry.type(description="The result of `recordTransactions`.")
class RecordTransactionsPayload:
    transactions: list[Transaction] | None = strawberry.field(
        description="The stored transactions, in the order sent (existing ones for repeats)."
    )
    created: int = strawberry.field(description="How many were new.")
    user_errors: list[UserError] = user_errors_field()


@strawberry.input(description="An event a terminal reported.")
class TerminalEventInput:
    tid: str = strawberry.field(description="TID of the terminal that reported it.")
    kind: TerminalEventKind = strawberry.field(description="What the terminal reported.")
    occurred_at: dt.datetime = strawberry.field(
        description="When it happened on the device (UTC, or with an offset)."
    )
    code: str | None = strawberry.field(
        default=None,
        description="PARAMETERS_DOWNLOADED: the options version; APP_UPDATED and "
        "FIRMWARE_UPDATED: the new version; ERROR: the error code.",
    )
    message: str | None = strawberry.field(
        default=None, description="The device's text for the event, if any."
    )
    payload: JSON | None = strawberry.field(
        default=None, description="Any further data the device sent, as JSON (no card data)."
    )
    command_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The command this event answers (a TerminalCommand's id, from "
        "pendingTerminalCommands): PARAMETERS_DOWNLOADED answers DOWNLOAD_PARAMETERS, REBOOT "
        "answers REBOOT, APP_UPDATED answers UPDATE_APP. The command becomes DONE, or FAILED "
        "with `failureReason`. A command already DONE, FAILED or EXPIRED is refused.",
    )
    failure_reason: str | None = strawberry.field(
        default=None,
        description="With `commandId` only: the command failed on the terminal, and why "
        "(the command becomes FAILED; a failed PARAMETERS_DOWNLOADED needs no `code`).",
    )


@strawberry.input(description="A batch of terminal events (machine accounts).")
class RecordTerminalEventsInput:
    events: list[TerminalEventInput] = strawberry.field(description="At most 500.")


@strawberry.type(description="The result of `recordTerminalEvents`.")
class RecordTerminalEventsPayload:
    events: list[TerminalEvent] | None = strawberry.field(
        description="The events written to the technical journal (heartbeats are not)."
    )
    heartbeats: int = strawberry.field(
        description="How many heartbeats the batch held (they update `lastHeartbeatAt`, not the "
        "journal)."
    )
    acknowledged: int = strawberry.field(description="Options versions acknowledged.")
    commands: int = strawberry.field(
        description="Terminal commands answered by these events (now DONE or FAILED)."
    )
    user_errors: list[UserError] = user_errors_field()


async def record_transactions(
    info: Info, input: Annotated[RecordTransactionsInput, MUTATION_INPUT]
) -> RecordTransactionsPayload:
    # `input` arrives as the use case's items (see `_transactions_from_input`).
    items: list[ingest.TransactionData] = input  # type: ignore[assignment]
    recorded, errors = await attempt(info, ingest.record_transactions(actor_of(info), items))
    if recorded is None:
        return RecordTransactionsPayload(transactions=None, created=0, user_errors=errors)
    return RecordTransactionsPayload(
        transactions=recorded.transactions,  # type: ignore[arg-type]
        created=recorded.created,
        user_errors=[],
    )


async def record_terminal_events(
    info: Info, input: Annotated[RecordTerminalEventsInput, MUTATION_INPUT]
) -> RecordTerminalEventsPayload:
    async def work() -> Any:
        problems = Problems(info.context.locale())
        items = []
        for i, e in enumerate(input.events):
            command_id = None
            if e.command_id is not None:
                path = ["input", "events", str(i), "commandId"]
                try:
                    command_id = input_id(info, e.command_id, "TerminalCommand", path)
                except Refused as refused:
                    problems.errors.extend(refused.errors)
            items.append(
                ingest.TerminalEventData(
                    tid=e.tid,
                    kind=e.kind,
                    occurred_at=e.occurred_at,
                    code=e.code,
                    message=e.message,
                    payload=e.payload,  # type: ignore[arg-type]
                    command_id=command_id,
                    failure_reason=e.failure_reason,
                )
            )
        problems.raise_if_any()
        return await ingest.record_terminal_events(actor_of(info), items)

    outcome: Any
    outcome, errors = await attempt(info, work())
    if outcome is None:
        return RecordTerminalEventsPayload(
            events=None, heartbeats=0, acknowledged=0, commands=0, user_errors=errors
        )
    return RecordTerminalEventsPayload(
        events=outcome.events,
        heartbeats=outcome.heartbeats,
        acknowledged=outcome.acknowledged,
        commands=outcome.commands,
        user_errors=[],
    )


@strawberry.input(description="The phone being enrolled for Tap to Pay.")
class SoftposDeviceInput:
    model: str = strawberry.field(description="The phone's model.")
    os_version: str = strawberry.field(description="The phone's operating system version.")
    app_version: str = strawberry.field(description="Version of the SoftPOS payment app.")
    serial_number: str | None = strawberry.field(
        default=None, description="The device's identifier, if the platform has one."
    )
    tid: str | None = strawberry.field(
        default=None, description="A TID assigned by the platform (drawn when absent)."
    )


@strawberry.input(description="Complete a SoftPOS activation with its one-time code.")
class EnrollSoftposDeviceInput:
    activation_code: str = strawberry.field(
        description="The one-time code `activateService` gave for this service; it expires."
    )
    device: SoftposDeviceInput = strawberry.field(description="The phone being enrolled.")


@strawberry.type(description="The result of `enrollSoftposDevice`.")
class EnrollSoftposDevicePayload:
    service: Service | None = strawberry.field(
        description="The SoftPOS service, now ACTIVE; null when the input was refused."
    )
    terminal: Terminal | None = strawberry.field(
        description="The phone, registered as a SOFTPOS terminal of the shop; null when refused."
    )
    user_errors: list[UserError] = user_errors_field()


async def enroll_softpos_device(
    info: Info, input: Annotated[EnrollSoftposDeviceInput, MUTATION_INPUT]
) -> EnrollSoftposDevicePayload:
    actor = actor_of(info)
    device = {
        "model": input.device.model,
        "osVersion": input.device.os_version,
        "appVersion": input.device.app_version,
        "serialNumber": input.device.serial_number,
        "tid": input.device.tid,
    }

    async def work() -> Any:
        async with actor.scope() as session:
            return await fleet.complete_softpos_enrollment(
                session, actor, input.activation_code, device
            )

    service, errors = await attempt(info, work())
    terminal = None
    if service is not None and service.terminal_id is not None:
        terminal = await info.context.loaders.get(TerminalByIdLoader).load(service.terminal_id)
    return EnrollSoftposDevicePayload(service=service, terminal=terminal, user_errors=errors)


@strawberry.type
class IngestMutation:
    record_transactions: RecordTransactionsPayload | None = mutation_field(
        record_transactions,
        "recordTransactions",
        "Record a batch of transactions (idempotent by externalId; card data refused).",
    )
    record_terminal_events: RecordTerminalEventsPayload | None = mutation_field(
        record_terminal_events,
        "recordTerminalEvents",
        "Record terminal events: heartbeats, options acknowledgements, errors, updates, and "
        "the answers to terminal commands (`commandId`).",
    )
    enroll_softpos_device: EnrollSoftposDevicePayload | None = mutation_field(
        enroll_softpos_device,
        "enrollSoftposDevice",
        "Enroll a phone with a SoftPOS activation code (single use; expired codes refused).",
    )
