"""The `spring` command."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from spring.settings import ConfigurationError, Environment, Settings

console = Console(stderr=True)
app = typer.Typer(
    help="Spring: the back office a card acquirer lends its distribution partners.\n\n"
    "Without DATABASE_URL every command uses an embedded PostgreSQL in the data folder "
    "(--data-dir, SPRING_DATA_DIR, default ./.spring).",
    no_args_is_help=True,
    add_completion=False,
)
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
tenant_app = typer.Typer(help="Tenants (distribution partners).", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(tenant_app, name="tenant")

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of the embedded PostgreSQL (SPRING_DATA_DIR)."),
]
Host = Annotated[str | None, typer.Option("--host", help="Interface to listen on.")]
Port = Annotated[int | None, typer.Option("--port", help="Port (PORT, default 8000).")]


def _settings(data_dir: Path | None = None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    settings = Settings(**values)  # type: ignore[arg-type]
    try:
        settings.check()
    except ConfigurationError as exc:
        console.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc
    from spring.logs import configure_logging

    # structlog for every logger: JSON lines in production, readable ones otherwise.
    configure_logging(settings.log_level, settings.log_renderer)
    return settings


def _migrate(owner_url: str, settings: Settings) -> str | None:
    from db.migrate import migrate

    return asyncio.run(
        migrate(owner_url, app_role=settings.db_app_role, app_password=settings.db_app_password)
    )


def _exit_normally(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _serve(settings: Settings, app_url: str) -> None:
    from spring.app import GracefulServer, create_app, server_config

    application = create_app(settings, app_url)
    # On SIGTERM: WebSockets closed with 1001 first, then in-flight requests finish within
    # SPRING_SHUTDOWN_TIMEOUT_S (docs/deploy.md).
    server = GracefulServer(server_config(application, settings))
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal: make that a
    # normal exit so the embedded PostgreSQL is stopped by our `finally` blocks.
    signal.signal(signal.SIGTERM, _exit_normally)
    try:
        server.run()
    except KeyboardInterrupt:
        pass


@app.command()
def serve(data_dir: DataDir = None, host: Host = None, port: Port = None) -> None:
    """Serve GraphQL on DATABASE_URL (or the embedded PostgreSQL when unset).

    Example: DATABASE_URL=postgresql://spring@db/spring SPRING_ENV=production spring serve
    """
    from spring.runtime import database_target

    settings = _settings(data_dir, host=host, port=port)
    with database_target(settings) as target:
        if target.is_embedded:
            _migrate(target.owner_url, settings)
        _serve(settings, target.app_url)


@app.command()
def demo(
    data_dir: DataDir = None,
    host: Host = None,
    port: Port = None,
    seed: Annotated[
        bool,
        typer.Option("--seed", help="Also seed demo data into the DATABASE_URL database."),
    ] = False,
    no_simulate: Annotated[
        bool,
        typer.Option(
            "--no-simulate",
            help="Do not feed live traffic (by default `spring simulate` runs in the "
            "background for the demo tenants, through this server's API).",
        ),
    ] = False,
) -> None:
    """The one-command tour: embedded PostgreSQL, migrations, demo data, the console and
    GraphiQL, and live traffic for the subscriptions (simulated transactions and terminal
    events).

    Example: spring demo --port 8000, then open http://127.0.0.1:8000/
    """
    from spring.demo import demo_present, seed_demo
    from spring.runtime import database_target

    os.environ.setdefault("SPRING_ENV", Environment.DEMO.value)
    settings = _settings(data_dir, host=host, port=port)
    with database_target(settings) as target:
        _migrate(target.owner_url, settings)
        if asyncio.run(demo_present(target.owner_url)):
            console.print("Demo data already present: reusing it.")
        elif target.is_embedded or seed:
            console.print("Seeding demo data (two tenants, 30 days of transactions)...")
            summary = asyncio.run(seed_demo(target.owner_url))
            console.print(f"Seeded: {summary}")
        else:
            console.print(
                "[yellow]DATABASE_URL is set: demo data is not seeded there unless you pass "
                "--seed.[/yellow]"
            )
        console.print(
            f"\nThe console is at [bold]http://{settings.host}:{settings.port}/[/bold] "
            "(sign in as seller@alizes.demo, password spring-demo).\n"
            f"Spring is at [bold]http://{settings.host}:{settings.port}/graphql[/bold]\n"
            'Log in with: mutation { login(input: {email: "supervisor@alizes.demo", '
            'password: "spring-demo"}) { token } }\n'
            'then set the header {"Authorization": "Bearer <token>"}.\n'
        )
        simulation = None
        if not no_simulate:
            from spring.simulate import BackgroundSimulation, connect_host

            console.print(
                "Live traffic is simulated for the demo tenants once the server is up "
                "(--no-simulate turns it off); try: subscription { transactionRecorded "
                "{ cursor transaction { amount status terminal { tid } } } }\n"
            )
            base_url = f"http://{connect_host(settings.host)}:{settings.port}"
            simulation = BackgroundSimulation(base_url, target.owner_url).start()
        try:
            _serve(settings, target.app_url)
        finally:
            if simulation is not None:
                simulation.stop()


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Upgrade the database schema to the latest version, as the owner (Procfile `release`).

    Also creates the application role (SPRING_DB_APP_ROLE, default spring_app) and its grants.

    Example: DATABASE_URL=postgresql://owner@db/spring SPRING_DB_APP_PASSWORD=... spring migrate
    """
    from spring.runtime import database_target

    settings = _settings(data_dir)
    with database_target(settings) as target:
        revision = _migrate(target.owner_url, settings)
    console.print(f"Database at revision {revision}.")


@app.command(name="purge-documents")
def purge_documents(
    data_dir: DataDir = None,
    retention_days: Annotated[
        int | None,
        typer.Option(
            "--retention-days",
            help="Days after a company is CLOSED (SPRING_IDENTITY_RETENTION_DAYS, default 1825).",
        ),
    ] = None,
) -> None:
    """Delete the identity documents of companies CLOSED for longer than the retention period
    (GDPR), as the owner, and print each one deleted. Nothing else is ever deleted.

    Example: DATABASE_URL=postgresql://owner@db/spring spring purge-documents
    """
    from resolvers.documents import purge_documents as purge
    from spring.runtime import database_target

    settings = _settings(data_dir)
    days = retention_days if retention_days is not None else settings.identity_retention_days
    with database_target(settings) as target:
        purged = asyncio.run(purge(target.owner_url, days))
    for p in purged:
        typer.echo(
            f"purged {p.tenant_slug} {p.siren} {p.company_name}: {p.filename} "
            f"(sha256 {p.sha256}, company closed {p.closed_at.date().isoformat()})"
        )
    typer.echo(f"{len(purged)} identity document(s) purged (retention {days} days).")


@app.command(name="seed")
def seed_command(
    demo_data: Annotated[bool, typer.Option("--demo", help="Seed the demo tenants.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Seed data. `spring seed --demo` writes the demo tenants (never implicitly).

    Example: DATABASE_URL=postgresql://owner@staging/spring spring seed --demo
    """
    from spring.demo import demo_present, seed_demo
    from spring.runtime import database_target

    if not demo_data:
        console.print("Nothing to seed: pass --demo to seed the demo tenants.")
        raise typer.Exit(2)
    settings = _settings(data_dir)
    with database_target(settings) as target:
        _migrate(target.owner_url, settings)
        if asyncio.run(demo_present(target.owner_url)):
            console.print("Demo data already present.")
            return
        summary = asyncio.run(seed_demo(target.owner_url))
    console.print(f"Seeded: {summary}")


@app.command()
def simulate(
    url: Annotated[
        str, typer.Option("--url", help="The GraphQL endpoint of a running Spring.")
    ] = "http://127.0.0.1:8000/graphql",
    email: Annotated[
        str, typer.Option("--email", help="A SERVICE account of the tenant.")
    ] = "service@alizes.demo",
    password: Annotated[
        str | None,
        typer.Option(
            "--password",
            envvar="SPRING_SIMULATE_PASSWORD",
            show_default=False,
            help="The account's password; prefer the environment variable (default: the "
            "demo accounts' password).",
        ),
    ] = None,
    rate: Annotated[
        float, typer.Option("--rate", min=0.0, help="Transactions per second, on average.")
    ] = 2.0,
    duration: Annotated[
        float | None,
        typer.Option("--duration", min=0.0, help="Seconds to run (default: until Ctrl-C)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed, for a repeatable mix.")
    ] = None,
    tids: Annotated[
        str | None,
        typer.Option(
            "--tids",
            help="The tenant's terminals, comma-separated, each optionally marked "
            "`:softpos` (Tap to Pay) and `:vN` (the options version it runs, acknowledged "
            "now and then): AP1A5RGE,AS1NPFY1:softpos,APWWVZR2:v3. Default: the demo "
            "tenant's terminals (the SERVICE role may not list terminals).",
        ),
    ] = None,
) -> None:
    """Send realistic live traffic for a tenant through the GraphQL API, as its SERVICE account.

    Card payments (about 6% refused), heartbeats every ~20 s, a terminal going OFFLINE and back.
    Batches of up to 50 a second, retried with backoff; Ctrl-C stops.
    Watch it with the transactionRecorded subscription (docs/live.md).

    Example: spring simulate --rate 5 --duration 60
    """
    import contextlib

    from rich.logging import RichHandler

    from spring.simulate import (
        DEMO_PASSWORD,
        SimulationConfig,
        SimulationError,
        Simulator,
        parse_tids,
        run_with_display,
    )

    try:
        import httpx  # noqa: F401
    except ImportError as exc:
        console.print("[red]spring simulate needs httpx:[/red] pip install httpx")
        raise typer.Exit(1) from exc
    logging.basicConfig(
        level=logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_path=False)],
        force=True,
    )
    try:
        fleet = parse_tids(tids) if tids is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--tids") from exc
    config = SimulationConfig(
        url=url,
        email=email,
        password=password or DEMO_PASSWORD,
        rate=rate,
        duration=duration,
        seed=seed,
        fleet=fleet,
    )

    async def run() -> None:
        simulator = Simulator(config)
        loop = asyncio.get_running_loop()
        main = asyncio.current_task()

        def on_signal() -> None:
            if simulator.stop.is_set() and main is not None:
                main.cancel()  # a second Ctrl-C: do not wait for the request in flight
            simulator.request_stop()

        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, on_signal)
        stats = await run_with_display(simulator, console)
        console.print(f"Done: {stats.summary()}.")

    try:
        asyncio.run(run())
    except SimulationError as exc:
        console.print(f"[red]Simulation stopped:[/red] {exc}")
        raise typer.Exit(1) from exc
    except (asyncio.CancelledError, KeyboardInterrupt):
        console.print("Interrupted.")


@app.command()
def schema() -> None:
    """Print the GraphQL schema (SDL). Example: spring schema > schema.graphql"""
    from schema.schema import schema as graphql_schema

    sys.stdout.write(graphql_schema.as_str() + "\n")


@app.command()
def permissions() -> None:
    """Print the permission matrix generated from the policy (Markdown).

    Example: spring permissions > docs/permissions.md
    """
    from tenancy.policy import render_markdown

    sys.stdout.write(render_markdown())


@app.command()
def lifecycles() -> None:
    """Print the lifecycle tables (Markdown), with the roles the policy gives each action.

    Example: spring lifecycles > docs/lifecycles.md
    """
    from resolvers.lifecycles import render_markdown

    sys.stdout.write(render_markdown())


@app.command()
def config(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Print the effective configuration (environment and .env), secrets hidden, and whether
    it may run: exits 2 naming the variable to set when it may not (e.g. in production).

    Example: SPRING_ENV=production spring config
    """
    import json

    from spring.settings import public_view

    try:
        settings = Settings()
    except ValueError as exc:  # pydantic's ValidationError: a malformed variable
        console.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc
    shown = public_view(settings)
    if as_json:
        typer.echo(json.dumps(shown, default=str, indent=2))
    else:
        for name, value in shown.items():
            typer.echo(f"{name} = {value}")
    try:
        settings.check()
    except ConfigurationError as exc:
        console.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="The account's e-mail (its login).")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[
        str,
        typer.Option(help="SELLER, HOTLINE, TECHNICIAN, SUPERVISOR, SERVICE or PLATFORM_ADMIN."),
    ],
    tenant: Annotated[
        str | None, typer.Option(help="Tenant slug (not for PLATFORM_ADMIN).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Create a staff account. The password is prompted for (or read from standard input),
    never taken on the command line.

    Example: spring user create --tenant alizes --email ana@alizes.fr --name "Ana" --role HOTLINE
    """
    from db.session import Database
    from resolvers.accounts import Refused, create_user
    from spring.runtime import database_target
    from tenancy.roles import Role

    try:
        parsed_role = Role(role.upper())
    except ValueError as exc:
        console.print(f"[red]Unknown role {role!r}.[/red]")
        raise typer.Exit(2) from exc
    password = _read_password()
    settings = _settings(data_dir)

    async def run(app_url: str) -> None:
        database = Database(app_url, pool_size=1, max_overflow=0)
        try:
            user = await create_user(
                database,
                tenant_slug=tenant,
                email=email,
                full_name=name,
                role=parsed_role,
                password=password,
                actor="spring user create",
            )
            console.print(f"Created {user.email} ({parsed_role.value}).")
        finally:
            await database.dispose()

    with database_target(settings) as target:
        try:
            asyncio.run(run(target.app_url))
        except Refused as exc:
            console.print(f"[red]Refused:[/red] {exc}")
            raise typer.Exit(1) from exc


@tenant_app.command("create")
def tenant_create(
    slug: Annotated[str, typer.Option(help="Short name used in X-Tenant, e.g. alizes.")],
    name: Annotated[str, typer.Option(help="Display name, e.g. 'Monétik Alizés'.")],
    data_dir: DataDir = None,
) -> None:
    """Create a tenant (a distribution partner).

    Example: spring tenant create --slug caraibes --name "Monétik Caraïbes"
    """
    from db.session import Database
    from resolvers.accounts import Refused, create_tenant
    from spring.runtime import database_target

    settings = _settings(data_dir)

    async def run(app_url: str) -> None:
        database = Database(app_url, pool_size=1, max_overflow=0)
        try:
            created = await create_tenant(
                database, slug=slug, name=name, actor="spring tenant create"
            )
            console.print(f"Created tenant {created.slug} ({created.name}).")
        finally:
            await database.dispose()

    with database_target(settings) as target:
        try:
            asyncio.run(run(target.app_url))
        except Refused as exc:
            console.print(f"[red]Refused:[/red] {exc}")
            raise typer.Exit(1) from exc


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Measure the performance goals against same-run baselines (a source checkout's bench/).

    Example: spring bench P2 P3 (or `spring bench --help`); the same as `python -m bench`.
    Starts its own embedded PostgreSQL and servers on loopback; writes docs/performance.md.
    """
    # bench/ is not installed (pyproject.toml): it is found in the source checkout that an
    # editable install (`pip install -e .`) runs from.
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "bench" / "__init__.py").is_file() and str(checkout) not in sys.path:
        sys.path.append(str(checkout))
    try:
        from bench.cli import main as run_benchmarks
    except ImportError as exc:
        console.print(
            "[red]The benchmarks (bench/) belong to the source checkout:[/red] run"
            " `python -m bench` there, after an editable install (`pip install -e .`)."
        )
        raise typer.Exit(2) from exc
    raise typer.Exit(run_benchmarks(list(ctx.args)))


def main() -> None:
    """The `spring` command: first, the versions its fast paths were verified against."""
    from spring.versions import refusal

    refused = refusal()
    if refused is not None:
        print(refused, file=sys.stderr)
        sys.exit(3)
    app()


if __name__ == "__main__":
    main()
