"""Demo data (DESIGN §7): two distribution partners, their merchants and 30 days of traffic.

- `alizes` ("Monétik Alizés"): merchants in Guadeloupe (971) and Martinique (972);
- `ocean` ("Monétik Océan"): merchants in La Réunion (974);
- one user per role in each tenant, and the platform administrator `admin@platform.demo`,
  all with the password `spring-demo`.

Every company lifecycle status, contract, service and terminal state is present, with the
journal (audit events), requests and comments that would have led there, and 30 days of card
transactions ending at `now` on the terminals of live services.

Deterministic: one `random.Random(seed)` draws every value and every id, and every timestamp is
derived from `now`, so two runs with the same `now` and seed write identical rows (but for the
Argon2 password hash, whose salt is random). The whole seed is one database transaction: it
writes everything or nothing. It works as a non-superuser owner under FORCE row-level security:
the transaction starts with the platform's claims (tenants, platform users) and switches
`app.tenant_id` (transaction-local) before writing each tenant's rows.

The package: `description` (the tenants, declared), `world` (what the builder parts share),
`fleet`, `contracts`, `companies`, `traffic` (the builder, one concern each), `tenants`
(`build_demo`: every row, computed without a database) and `seed` (writing them).
"""

from spring.demo.description import (
    BLOCKED_RESPONSE_CODE,
    DEMO_PASSWORD,
    DEMO_SEED,
    DEMO_TENANTS,
    PLATFORM_ADMIN_EMAIL,
)
from spring.demo.seed import DemoAlreadySeeded, DemoSummary, demo_present, seed_demo
from spring.demo.tenants import build_demo
from spring.demo.world import DemoData, external_id

__all__ = [
    "BLOCKED_RESPONSE_CODE",
    "DEMO_PASSWORD",
    "DEMO_SEED",
    "DEMO_TENANTS",
    "PLATFORM_ADMIN_EMAIL",
    "DemoAlreadySeeded",
    "DemoData",
    "DemoSummary",
    "build_demo",
    "demo_present",
    "external_id",
    "seed_demo",
]
