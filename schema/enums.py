"""GraphQL enums, wrapping the domain's Python enums (one source of truth)."""

from __future__ import annotations

import enum

from db import enums as e
from resolvers import terminals as t
from schema.descriptions import described_enum
from tenancy.roles import Role as _Role

Role = described_enum(
    _Role,
    name="Role",
    description="A staff member's role: what they may do and read in their tenant (DESIGN §1; "
    "docs/permissions.md lists it per operation and field).",
    values={
        "SELLER": "In-store sales staff: pre-register merchants, ask for their evaluation, "
        "create and sign contracts, set fees on a draft.",
        "HOTLINE": "Customer service: follow contracts and activations, supervise transactions, "
        "block and unblock services, edit contact details, open requests.",
        "TECHNICIAN": "Payment technicians: register, assign and configure terminals, activate "
        "services, diagnose, read technical journals.",
        "SUPERVISOR": "The partner's manager: everything in the tenant, including decisions on "
        "requests, fees of live contracts, suspension and staff accounts.",
        "SERVICE": "A machine account: feeds transactions and terminal events in and enrolls "
        "SoftPOS devices; reads nothing else.",
        "PLATFORM_ADMIN": "The acquirer's administrator: creates tenants and acts inside one "
        "tenant at a time, named in the `X-Tenant` header.",
    },
)
UserStatus = described_enum(
    e.UserStatus,
    name="UserStatus",
    description="Whether a staff account may sign in.",
    values={
        "ACTIVE": "May sign in and work.",
        "DEACTIVATED": "Deactivated by a supervisor: cannot sign in; its sessions have ended. "
        "Its past actions stay in the journal.",
    },
)
TenantStatus = described_enum(
    e.TenantStatus,
    name="TenantStatus",
    description="Whether a distribution partner (tenant) is in service.",
    values={
        "ACTIVE": "In service: its staff work normally.",
        "SUSPENDED": "Suspended by the platform: its staff cannot sign in; its data is kept.",
    },
)
CompanyStatus = described_enum(
    e.CompanyStatus,
    name="CompanyStatus",
    description="Where a merchant's company stands: PROSPECT → EVALUATION → APPROVED / "
    "REJECTED; APPROVED → ACTIVE → SUSPENDED ⇄ ACTIVE → CLOSED (docs/lifecycles.md).",
    values={
        "PROSPECT": "Pre-registered by a seller; its evaluation has not been asked for yet.",
        "EVALUATION": "Its commercial evaluation was asked for and awaits a supervisor.",
        "APPROVED": "Evaluation approved: a contract can be created and signed.",
        "REJECTED": "Evaluation rejected by a supervisor.",
        "ACTIVE": "Accepting payments: its first contract became active.",
        "SUSPENDED": "None of its contracts is ACTIVE and one is SUSPENDED.",
        "CLOSED": "Its last live contract was terminated. A new evaluation reopens the same "
        "record (same SIREN, history kept).",
    },
)
ShopStatus = described_enum(
    e.ShopStatus,
    name="ShopStatus",
    description="Whether a shop (point of sale) is in business.",
    values={
        "OPEN": "In business: services and terminals can be set up there.",
        "CLOSED": "Closed (see `closedAt`); kept for history.",
    },
)
RequestType = described_enum(
    e.RequestType,
    name="RequestType",
    description="What a request (demande) asks for.",
    values={
        "EVALUATION": "Commercial evaluation of a new merchant, decided by a supervisor.",
        "FEE_CHANGE": "A change of fees on a signed or active contract, asked by a seller.",
        "SUPPORT": "A support case (a problem to solve for a merchant).",
        "TERMINATION": "The termination of a merchant's contract.",
    },
)
RequestStatus = described_enum(
    e.RequestStatus,
    name="RequestStatus",
    description="Where a request stands: OPEN → IN_REVIEW → APPROVED / REJECTED / DONE, or "
    "CANCELLED (docs/lifecycles.md).",
    values={
        "OPEN": "Written, not yet taken in review.",
        "IN_REVIEW": "Taken by a colleague, or commented by someone other than its author.",
        "APPROVED": "Decided: approved (evaluations, fee changes, terminations).",
        "REJECTED": "Decided: rejected, with the decision's comment.",
        "DONE": "Resolved: a SUPPORT request approved, or closed by its assignee.",
        "CANCELLED": "Withdrawn by its author before a decision, or ended with the contract or "
        "company it was about.",
    },
)
ContractStatus = described_enum(
    e.ContractStatus,
    name="ContractStatus",
    description="Where an acquiring contract stands: DRAFT → SIGNED → ACTIVE → SUSPENDED ⇄ "
    "ACTIVE → TERMINATED (docs/lifecycles.md).",
    values={
        "DRAFT": "Being prepared: shops, services and fees can still change.",
        "SIGNED": "Signed by the merchant; becomes ACTIVE when its first service is activated.",
        "ACTIVE": "In force: its services take payments.",
        "SUSPENDED": "Stopped for a while by a supervisor (reason given); can be resumed.",
        "TERMINATED": "Ended for good; its services are deactivated.",
    },
)
CardScheme = described_enum(
    e.CardScheme,
    name="CardScheme",
    description="The card network (scheme) a card payment goes through.",
    values={
        "CB": "Cartes Bancaires, the French domestic scheme.",
        "VISA": "Visa (credit and debit).",
        "MASTERCARD": "Mastercard (credit and debit).",
        "AMEX": "American Express.",
        "MAESTRO": "Maestro, Mastercard's debit brand.",
        "VPAY": "V PAY, Visa's European debit brand.",
    },
)
FeeRegion = described_enum(
    e.FeeRegion,
    name="FeeRegion",
    description="Where the card was issued, relative to the merchant: fees differ by region.",
    values={
        "DOMESTIC": "A card issued in the merchant's own country.",
        "EEA": "A card issued in another country of the European Economic Area.",
        "INTERNATIONAL": "A card issued outside the European Economic Area.",
    },
)
ServiceKind = described_enum(
    e.ServiceKind,
    name="ServiceKind",
    description="A payment service a contract offers in a shop.",
    values={
        "PAYWISH_SOFTPOS": 'SoftPOS "Tap to Pay": the merchant\'s phone takes contactless '
        "cards; activated with a one-time activation code.",
        "PAY_ON_SITE": '"Pay on site": a PAX card terminal in the shop.',
    },
)
ServiceStatus = described_enum(
    e.ServiceStatus,
    name="ServiceStatus",
    description="Where a payment service stands: PENDING → ACTIVE ⇄ BLOCKED → DEACTIVATED.",
    values={
        "PENDING": "Created, not taking payments yet: a SoftPOS service waits for the phone to "
        "enroll with its activation code.",
        "ACTIVE": "Takes payments.",
        "BLOCKED": "Blocked (reason given, perhaps until a time): its new payments are declined.",
        "DEACTIVATED": "Ended for good; kept for history.",
    },
)
TerminalKind = described_enum(
    e.TerminalKind,
    name="TerminalKind",
    description="What kind of device takes the payments.",
    values={
        "PAX": "A PAX card terminal (model and serial number), for Pay on site.",
        "SOFTPOS": "A merchant's phone running the SoftPOS app, for Tap to Pay.",
    },
)
TerminalStatus = described_enum(
    e.TerminalStatus,
    name="TerminalStatus",
    description="Where a terminal stands: IN_STOCK → ASSIGNED → ACTIVE ⇄ BLOCKED → RETURNED.",
    values={
        "IN_STOCK": "In the partner's stock, assigned to no shop.",
        "ASSIGNED": "Assigned to a shop, no active service yet.",
        "ACTIVE": "Takes payments for an active service.",
        "BLOCKED": "Blocked (reason given, perhaps until a time): its payments are declined.",
        "RETURNED": "Its last live service ended and it left its shop; `restockTerminal` puts "
        "it back IN_STOCK after a check.",
    },
)
ReceiptMode = described_enum(
    e.ReceiptMode,
    name="ReceiptMode",
    description="How a PAX terminal gives the cardholder a receipt.",
    values={
        "PRINT": "Printed on paper by the terminal.",
        "EMAIL": "Sent by e-mail.",
        "SMS": "Sent by text message.",
        "NONE": "No receipt.",
    },
)
TransactionType = described_enum(
    e.TransactionType,
    name="TransactionType",
    description="What a card transaction does.",
    values={
        "PURCHASE": "A payment by the cardholder.",
        "REFUND": "Money given back to the cardholder.",
        "PRE_AUTHORIZATION": "An amount reserved on the card (hotels, rentals), captured later "
        "by a COMPLETION.",
        "COMPLETION": "The capture of a pre-authorization, for the final amount.",
        "REVERSAL": "The cancellation of an earlier transaction (the original becomes REVERSED).",
    },
)
EntryMode = described_enum(
    e.EntryMode,
    name="EntryMode",
    description="How the card was read.",
    values={
        "CONTACTLESS": "Card or wallet tapped on a terminal (NFC).",
        "CHIP": "Card inserted, chip and PIN.",
        "MAGSTRIPE": "Magnetic stripe swiped.",
        "MANUAL": "Card number keyed in (only where the terminal's options allow it).",
        "TAP_TO_PAY": "Card tapped on a SoftPOS phone.",
    },
)
TransactionStatus = described_enum(
    e.TransactionStatus,
    name="TransactionStatus",
    description="How a transaction ended.",
    values={
        "APPROVED": "Accepted by the issuer: the money moves.",
        "DECLINED": "Refused (by the issuer, or because the service or terminal is blocked); "
        "`responseCode` says why.",
        "ERROR": "Failed for a technical reason before a decision.",
        "REVERSED": "Approved, then cancelled by a later REVERSAL.",
    },
)
TerminalEventKind = described_enum(
    e.TerminalEventKind,
    name="TerminalEventKind",
    description="What a terminal reported in its technical journal.",
    values={
        "HEARTBEAT": "The terminal is alive and connected (sent at the tenant's heartbeat "
        "interval); their absence makes it OFFLINE.",
        "ERROR": "A technical error on the device (`code` and `message` say which).",
        "REBOOT": "The device restarted.",
        "PARAMETERS_DOWNLOADED": "The device downloaded and applied a version of its options "
        "(they become APPLIED).",
        "APP_UPDATED": "The payment application was updated.",
        "FIRMWARE_UPDATED": "The device's firmware was updated.",
        "SETTLEMENT": "The daily settlement (télécollecte) ran.",
        "PAPER_OUT": "The receipt printer is out of paper.",
        "LOW_BATTERY": "The device's battery is low.",
    },
)
ActorKind = described_enum(
    e.ActorKind,
    name="ActorKind",
    description="Who did what the journal records.",
    values={
        "USER": "A staff member of the tenant (see `actor`).",
        "PLATFORM": "An administrator of the acquirer (platform), acting in the tenant.",
        "SYSTEM": "Spring itself (for example a block that expired at its `until` time).",
    },
)
Connectivity = described_enum(
    t.Connectivity,
    name="Connectivity",
    description="ONLINE while heartbeats arrive; OFFLINE after twice the heartbeat interval.",
    values={
        "ONLINE": "Its last heartbeat came less than twice the tenant's heartbeat interval ago.",
        "OFFLINE": "No heartbeat for more than twice the tenant's heartbeat interval (or never).",
    },
)
OptionsStatus = described_enum(
    t.OptionsStatus,
    name="OptionsStatus",
    description="Whether the device acknowledged (PARAMETERS_DOWNLOADED) the latest options.",
    values={
        "PENDING": "The latest options were set in Spring but the device has not downloaded "
        "them yet.",
        "APPLIED": "The device acknowledged the latest options version.",
    },
)


@described_enum(
    description="Sort direction.",
    values={
        "ASC": "Ascending: A to Z, oldest first, smallest first.",
        "DESC": "Descending: Z to A, newest first, largest first.",
    },
)
class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"

    @property
    def descending(self) -> bool:
        return self is OrderDirection.DESC


TerminalCommandKind = described_enum(
    e.TerminalCommandKind,
    name="TerminalCommandKind",
    description="What staff ask a terminal to do through the terminal gateway.",
    values={
        "DOWNLOAD_PARAMETERS": "Download the latest options version now (PAX terminals "
        "only); answered by a PARAMETERS_DOWNLOADED event.",
        "REBOOT": "Restart the terminal or the payment app; answered by a REBOOT event.",
        "UPDATE_APP": "Install the latest payment app; answered by an APP_UPDATED event "
        "carrying the new version.",
    },
)
TerminalCommandStatus = described_enum(
    e.TerminalCommandStatus,
    name="TerminalCommandStatus",
    description="Where a terminal command is (docs/lifecycles.md, Terminal command).",
    values={
        "QUEUED": "Waiting for the terminal gateway to collect it.",
        "SENT": "Collected by the gateway (pendingTerminalCommands), on its way to the terminal.",
        "DONE": "The terminal reported it done (its event carried the command's id).",
        "FAILED": "The terminal reported it failed; failureReason says why.",
        "EXPIRED": "No answer came within the partner's command expiry time (60 minutes by "
        "default); it may be sent again.",
    },
)
