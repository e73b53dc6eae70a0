"""The fleet: terminals and the services they run, by what users do.

| module | holds |
|---|---|
| `queries` | reads: filters, orderings, lists, connectivity and options status, loaders |
| `counts` | the fleet at a glance: counts by connectivity, options status and status |
| `stock` | register a terminal, assign it to a shop, put a returned one back in stock |
| `options` | a PAX terminal's options, versioned (PENDING until acknowledged) |
| `blocks` | block and unblock a terminal or a service; the sweep of expired blocks |
| `services` | activate and deactivate a service; `end_services` |
| `softpos` | SoftPOS activation codes and the phone's enrollment |
| `common` | what they share: journaled fields, activation states, code hashing |

This package exports the public names of each (`from resolvers import terminals as rt`);
modules of resolvers/ import from the submodule itself.
"""

# The reads first: modules the use cases import may import them from here.
from resolvers.terminals.queries import (
    EVENT_ORDERINGS,
    SHOP_TERMINALS,
    TERMINAL_EVENTS,
    TERMINAL_ORDERINGS,
    Connectivity,
    HeartbeatIntervalByTenantIdLoader,
    OptionsStatus,
    ServicesByTerminalIdLoader,
    TerminalEventFilter,
    TerminalFilter,
    TerminalOptionsByTerminalIdLoader,
    _latest_options_version,
    connectivity_of,
    event_query,
    list_terminal_events,
    list_terminals,
    offline_after,
    offline_condition,
    options_pending_condition,
    options_status_of,
    terminal_query,
)

# isort: split
from resolvers.terminals.blocks import (
    block_service,
    block_terminal,
    lift_expired_blocks,
    unblock_service,
    unblock_terminal,
)
from resolvers.terminals.common import (
    AUTO_UNBLOCK_LABEL,
    AUTO_UNBLOCK_REASON,
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_LIFETIME,
    COMPANY_STATES_FOR_ACTIVATION,
    CONTRACT_STATES_FOR_ACTIVATION,
    DEFAULT_OPTIONS,
    LIVE_SERVICE_STATES,
    OPTION_FIELDS,
    OPTION_KEYS,
    SERVICE_FIELDS,
    TERMINAL_FIELDS,
    TID_ALPHABET,
    hash_activation_code,
    new_activation_code,
    normalize_activation_code,
)
from resolvers.terminals.counts import TerminalCounts, count_terminals
from resolvers.terminals.options import (
    OptionsChange,
    latest_options,
    update_terminal_options,
)
from resolvers.terminals.services import (
    Activation,
    ActivationData,
    activate_service,
    deactivate_service,
    end_services,
)
from resolvers.terminals.softpos import (
    complete_softpos_enrollment,
    regenerate_activation_code,
)
from resolvers.terminals.stock import (
    TerminalData,
    assign_terminal,
    register_terminal,
    restock_terminal,
)

__all__ = [
    "AUTO_UNBLOCK_LABEL",
    "AUTO_UNBLOCK_REASON",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_LIFETIME",
    "COMPANY_STATES_FOR_ACTIVATION",
    "CONTRACT_STATES_FOR_ACTIVATION",
    "DEFAULT_OPTIONS",
    "EVENT_ORDERINGS",
    "LIVE_SERVICE_STATES",
    "OPTION_FIELDS",
    "OPTION_KEYS",
    "SERVICE_FIELDS",
    "SHOP_TERMINALS",
    "TERMINAL_EVENTS",
    "TERMINAL_FIELDS",
    "TERMINAL_ORDERINGS",
    "TID_ALPHABET",
    "Activation",
    "ActivationData",
    "Connectivity",
    "HeartbeatIntervalByTenantIdLoader",
    "OptionsChange",
    "OptionsStatus",
    "ServicesByTerminalIdLoader",
    "TerminalCounts",
    "TerminalData",
    "TerminalEventFilter",
    "TerminalFilter",
    "TerminalOptionsByTerminalIdLoader",
    "_latest_options_version",
    "activate_service",
    "assign_terminal",
    "block_service",
    "block_terminal",
    "complete_softpos_enrollment",
    "connectivity_of",
    "count_terminals",
    "deactivate_service",
    "end_services",
    "event_query",
    "hash_activation_code",
    "latest_options",
    "lift_expired_blocks",
    "list_terminal_events",
    "list_terminals",
    "new_activation_code",
    "normalize_activation_code",
    "offline_after",
    "offline_condition",
    "options_pending_condition",
    "options_status_of",
    "regenerate_activation_code",
    "register_terminal",
    "restock_terminal",
    "terminal_query",
    "unblock_service",
    "unblock_terminal",
    "update_terminal_options",
]
