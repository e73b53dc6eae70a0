"""Companies and shops: the lists (`queries`), creating and editing a company (`companies`)
or a shop (`shops`), and the address both are validated with (`addresses`).

Each use case validates everything, checks the policy's limits and the lifecycle, then writes
the change and its journal entry in the request's transaction. The package exports its
modules' public names.
"""

from __future__ import annotations

from resolvers.merchants.addresses import (
    AddressData,
)
from resolvers.merchants.companies import (
    COMPANY_FIELDS,
    COMPANY_INPUT_NAMES,
    CompanyData,
    create_company,
    update_company,
)
from resolvers.merchants.queries import (
    COMPANY_ORDERINGS,
    COMPANY_SHOPS,
    SHOP_ORDERINGS,
    CompanyFilter,
    ShopFilter,
    company_query,
    list_companies,
    list_shops,
    shop_query,
)
from resolvers.merchants.shops import (
    SHOP_FIELDS,
    ShopData,
    create_shop,
    update_shop,
)

__all__ = [
    "COMPANY_FIELDS",
    "COMPANY_INPUT_NAMES",
    "COMPANY_ORDERINGS",
    "COMPANY_SHOPS",
    "SHOP_FIELDS",
    "SHOP_ORDERINGS",
    "AddressData",
    "CompanyData",
    "CompanyFilter",
    "ShopData",
    "ShopFilter",
    "company_query",
    "create_company",
    "create_shop",
    "list_companies",
    "list_shops",
    "shop_query",
    "update_company",
    "update_shop",
]
