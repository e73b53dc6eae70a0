"""`spring simulate`: realistic live traffic for one tenant, through the public GraphQL API.

The simulator plays the acquiring platform: it logs in as the tenant's SERVICE account and
sends what the terminals of its merchants would produce, with the same two mutations a real
gateway uses (`recordTransactions`, `recordTerminalEvents`). Nothing is written to the database
behind the API's back, so subscriptions, offline detection and options acknowledgement all see
it as real traffic.

What it sends, every second:
- card payments: a Poisson draw around `--rate` per second spread over the terminals (PAX
  terminals more than SoftPOS phones; a blocked merchant only tries now and then), CB for most,
  then Visa and Mastercard; contactless or chip on PAX terminals (chip above the 50 EUR
  contactless limit), Tap to Pay on SoftPOS phones; log-normal amounts in cents; about 6 %
  refused (ISO 8583 05, 51, 55, 61 declined; 91 issuer unavailable); an occasional refund of an
  earlier payment; masked PANs only (BIN + last 4); external ids like `SIM-KQXRTB-AAB4`, whose
  digit runs are too short to pass for a card number (ingestion refuses those);
- a heartbeat for every terminal about every 20 s;
- every few minutes one terminal goes silent long enough to turn OFFLINE, then comes back
  with a reboot;
- now and then a PARAMETERS_DOWNLOADED acknowledgement of an options version the simulator
  knows (see `SimTerminal.options_version`), and a terminal error;
- the terminal gateway's part for commands staff send (`sendTerminalCommand`): every couple
  of seconds it collects the commands queued for its terminals (`pendingTerminalCommands`,
  which marks them SENT) and a few seconds later answers each with the terminal's event and
  the command's id: REBOOT, PARAMETERS_DOWNLOADED (the options version it then runs) or
  APP_UPDATED (a new app version), so the command turns DONE; about one in twenty fails
  (FAILED, with the reason a terminal would give); a silent terminal answers when it is back;
in batches of at most 50, retried with backoff on network or server errors (safe: ingestion is
idempotent by external id), with a new login when the token expires or is refused.

The SERVICE role may not list terminals, so the TIDs come from `--tids`, or, for the demo
tenants, from the demo data's deterministic description (`spring.demo.build_demo`, computed without
a database); TIDs the server does not know are dropped after the first heartbeat round.
`spring demo` runs the simulator in the background against its own URL and reads its tenants'
terminals from the database it seeded (`database_fleet`), so it also acknowledges the options
versions staff set during the demo.

The package: `config` (defaults, rates, GraphQL documents), `fleet` (the TIDs it plays),
`traffic` (what a second sends), `simulator` (sending it through the API) and `running` (the
live display, and the background simulation of `spring demo`).
"""

from spring.demo.description import DEMO_PASSWORD
from spring.simulate.config import DEFAULT_EMAIL, DEFAULT_URL, PASSWORD_ENV, SimulationError
from spring.simulate.fleet import SimTerminal, database_fleet, demo_fleet, parse_tids
from spring.simulate.running import BackgroundSimulation, connect_host, render, run_with_display
from spring.simulate.simulator import SimulationConfig, Simulator, Stats
from spring.simulate.traffic import TrafficModel

__all__ = [
    "DEFAULT_EMAIL",
    "DEFAULT_URL",
    "DEMO_PASSWORD",
    "PASSWORD_ENV",
    "BackgroundSimulation",
    "SimTerminal",
    "SimulationConfig",
    "SimulationError",
    "Simulator",
    "Stats",
    "TrafficModel",
    "connect_host",
    "database_fleet",
    "demo_fleet",
    "parse_tids",
    "render",
    "run_with_display",
]
