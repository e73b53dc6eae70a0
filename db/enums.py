"""Every lifecycle and vocabulary of DESIGN §2, as Python enums.

They are stored as short strings guarded by CHECK constraints (not native PostgreSQL enums),
so a later migration can add a value without rewriting a type.
"""

from __future__ import annotations

import enum


class TenantStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"


class UserStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    DEACTIVATED = "DEACTIVATED"


class CompanyStatus(enum.StrEnum):
    PROSPECT = "PROSPECT"
    EVALUATION = "EVALUATION"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    CLOSED = "CLOSED"


class ShopStatus(enum.StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class RequestType(enum.StrEnum):
    EVALUATION = "EVALUATION"
    FEE_CHANGE = "FEE_CHANGE"
    SUPPORT = "SUPPORT"
    TERMINATION = "TERMINATION"


class RequestStatus(enum.StrEnum):
    OPEN = "OPEN"
    IN_REVIEW = "IN_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    DONE = "DONE"
    #: Withdrawn by its author, or ended with its contract or company (the reason says which).
    CANCELLED = "CANCELLED"


class ContractStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    SIGNED = "SIGNED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"


class CardScheme(enum.StrEnum):
    CB = "CB"
    VISA = "VISA"
    MASTERCARD = "MASTERCARD"
    AMEX = "AMEX"
    MAESTRO = "MAESTRO"
    VPAY = "VPAY"


class FeeRegion(enum.StrEnum):
    DOMESTIC = "DOMESTIC"
    EEA = "EEA"
    INTERNATIONAL = "INTERNATIONAL"


class ServiceKind(enum.StrEnum):
    PAYWISH_SOFTPOS = "PAYWISH_SOFTPOS"
    PAY_ON_SITE = "PAY_ON_SITE"


class ServiceStatus(enum.StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    BLOCKED = "BLOCKED"
    DEACTIVATED = "DEACTIVATED"


class TerminalKind(enum.StrEnum):
    PAX = "PAX"
    SOFTPOS = "SOFTPOS"


class TerminalStatus(enum.StrEnum):
    IN_STOCK = "IN_STOCK"
    ASSIGNED = "ASSIGNED"
    ACTIVE = "ACTIVE"
    BLOCKED = "BLOCKED"
    RETURNED = "RETURNED"


class ReceiptMode(enum.StrEnum):
    PRINT = "PRINT"
    EMAIL = "EMAIL"
    SMS = "SMS"
    NONE = "NONE"


class TransactionType(enum.StrEnum):
    PURCHASE = "PURCHASE"
    REFUND = "REFUND"
    PRE_AUTHORIZATION = "PRE_AUTHORIZATION"
    COMPLETION = "COMPLETION"
    REVERSAL = "REVERSAL"


class EntryMode(enum.StrEnum):
    CONTACTLESS = "CONTACTLESS"
    CHIP = "CHIP"
    MAGSTRIPE = "MAGSTRIPE"
    MANUAL = "MANUAL"
    TAP_TO_PAY = "TAP_TO_PAY"


class TransactionStatus(enum.StrEnum):
    APPROVED = "APPROVED"
    DECLINED = "DECLINED"
    ERROR = "ERROR"
    REVERSED = "REVERSED"


class TerminalEventKind(enum.StrEnum):
    HEARTBEAT = "HEARTBEAT"
    ERROR = "ERROR"
    REBOOT = "REBOOT"
    PARAMETERS_DOWNLOADED = "PARAMETERS_DOWNLOADED"
    APP_UPDATED = "APP_UPDATED"
    FIRMWARE_UPDATED = "FIRMWARE_UPDATED"
    SETTLEMENT = "SETTLEMENT"
    PAPER_OUT = "PAPER_OUT"
    LOW_BATTERY = "LOW_BATTERY"


class ActorKind(enum.StrEnum):
    USER = "USER"
    PLATFORM = "PLATFORM"
    SYSTEM = "SYSTEM"


class NotificationKind(enum.StrEnum):
    """What a notification tells (resolvers/notifications.py says who gets each)."""

    REQUEST_ASSIGNED = "REQUEST_ASSIGNED"
    REQUEST_COMMENTED = "REQUEST_COMMENTED"
    REQUEST_DECIDED = "REQUEST_DECIDED"
    REQUEST_CLOSED = "REQUEST_CLOSED"
    EVALUATION_APPROVED = "EVALUATION_APPROVED"
    EVALUATION_REJECTED = "EVALUATION_REJECTED"
    SERVICE_BLOCKED = "SERVICE_BLOCKED"
    SERVICE_UNBLOCKED = "SERVICE_UNBLOCKED"
    SERVICE_BLOCK_EXPIRED = "SERVICE_BLOCK_EXPIRED"
    TERMINAL_BLOCKED = "TERMINAL_BLOCKED"
    TERMINAL_UNBLOCKED = "TERMINAL_UNBLOCKED"
    TERMINAL_BLOCK_EXPIRED = "TERMINAL_BLOCK_EXPIRED"
    TERMINAL_OFFLINE = "TERMINAL_OFFLINE"
    OPTIONS_PENDING = "OPTIONS_PENDING"
    FEE_CHANGE_REQUESTED = "FEE_CHANGE_REQUESTED"
    TERMINATION_REQUESTED = "TERMINATION_REQUESTED"
    CONTRACT_SIGNED = "CONTRACT_SIGNED"
    EVALUATION_REQUESTED = "EVALUATION_REQUESTED"
