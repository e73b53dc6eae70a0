"""Contracts, by what users do.

| module | holds |
|---|---|
| `queries` | reads: filters, orderings, lists, the current fee schedule, loaders |
| `drafting` | create a contract and edit its draft |
| `signing` | sign a draft |
| `fee_changes` | new fees on a signed or active contract |
| `lifecycle` | suspend, resume, terminate |
| `request_decisions` | what approving a FEE_CHANGE or TERMINATION request does |
| `simulation` | `simulateFees`: price sample transactions (a read) |
| `schedules`, `common` | fee schedule versions as stored; what the use cases share |

This package exports the public names of each (`from resolvers import contracts as rc`);
modules of resolvers/ import from the submodule itself.
"""

# The reads first: modules the use cases import (resolvers/documents/) import them from here.
from resolvers.contracts.queries import (
    COMPANY_CONTRACTS,
    CONTRACT_ORDERINGS,
    CONTRACT_SERVICES,
    SERVICE_ORDERINGS,
    SHOP_SERVICES,
    ContractFilter,
    FeeLinesByFeeScheduleIdLoader,
    FeeSchedulesByContractIdLoader,
    ServiceFilter,
    ShopsByContractIdLoader,
    contract_query,
    list_contracts,
    list_services,
    service_query,
)
from resolvers.fees import current_fee_schedule

# isort: split
from resolvers.contracts.common import (
    CONTRACT_FIELDS,
    CONTRACTABLE_COMPANY,
    CREATED,
    DRAFT_UPDATED,
    FEES_CHANGED,
    MAX_SHOPS,
    MAX_SIMULATED,
    RESUMED,
    SIGNED,
    SUSPENDED,
    TERMINATED,
)
from resolvers.contracts.drafting import (
    CreateContractData,
    DraftChanges,
    create_contract,
    update_contract_draft,
)
from resolvers.contracts.fee_changes import (
    change_contract_fees,
)
from resolvers.contracts.lifecycle import (
    resume_contract,
    suspend_contract,
    terminate_contract,
)
from resolvers.contracts.request_decisions import (
    approve_fee_change,
    approve_termination,
)
from resolvers.contracts.schedules import (
    data_json,
    fees_json,
    schedule_json,
)
from resolvers.contracts.signing import (
    sign_contract,
)
from resolvers.contracts.simulation import (
    FeeSimulationResult,
    PricedTransaction,
    SampleTransaction,
    price,
    simulate_fees,
    transaction_fee,
)

__all__ = [
    "COMPANY_CONTRACTS",
    "CONTRACTABLE_COMPANY",
    "CONTRACT_FIELDS",
    "CONTRACT_ORDERINGS",
    "CONTRACT_SERVICES",
    "CREATED",
    "DRAFT_UPDATED",
    "FEES_CHANGED",
    "MAX_SHOPS",
    "MAX_SIMULATED",
    "RESUMED",
    "SERVICE_ORDERINGS",
    "SHOP_SERVICES",
    "SIGNED",
    "SUSPENDED",
    "TERMINATED",
    "ContractFilter",
    "CreateContractData",
    "DraftChanges",
    "FeeLinesByFeeScheduleIdLoader",
    "FeeSchedulesByContractIdLoader",
    "FeeSimulationResult",
    "PricedTransaction",
    "SampleTransaction",
    "ServiceFilter",
    "ShopsByContractIdLoader",
    "approve_fee_change",
    "approve_termination",
    "change_contract_fees",
    "contract_query",
    "create_contract",
    "current_fee_schedule",
    "data_json",
    "fees_json",
    "list_contracts",
    "list_services",
    "price",
    "resume_contract",
    "schedule_json",
    "service_query",
    "sign_contract",
    "simulate_fees",
    "suspend_contract",
    "terminate_contract",
    "transaction_fee",
    "update_contract_draft",
]
