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
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    return settings


def _migrate(owner_url: str, settings: Settings) -> str | None:
    from db.migrate import migrate

    return asyncio.run(
        migrate(owner_url, app_role=settings.db_app_role, app_password=settings.db_app_password)
    )


def _exit_normally(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _serve(settings: Settings, app_url: str) -> None:
    import uvicorn

    from spring.app import create_app

    application = create_app(settings, app_url)
    config = uvicorn.Config(
        application,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        lifespan="on",
        timeout_graceful_shutdown=20,
    )
    server = uvicorn.Server(config)
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
) -> None:
    """The one-command tour: embedded PostgreSQL, migrations, demo data, GraphiQL.

    Example: spring demo --port 8000, then open http://127.0.0.1:8000/graphql
    """
    from db.demo import demo_present, seed_demo
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
            f"\nSpring is at [bold]http://{settings.host}:{settings.port}/graphql[/bold]\n"
            'Log in with: mutation { login(input: {email: "supervisor@alizes.demo", '
            'password: "spring-demo"}) { token } }\n'
            'then set the header {"Authorization": "Bearer <token>"}.\n'
        )
        _serve(settings, target.app_url)


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Upgrade the database schema to the latest version, as the owner (Procfile `release`).

    Also creates the application role (SPRING_DB_APP_ROLE, default spring_app) and its grants.
    """
    from spring.runtime import database_target

    settings = _settings(data_dir)
    with database_target(settings) as target:
        revision = _migrate(target.owner_url, settings)
    console.print(f"Database at revision {revision}.")


@app.command(name="seed")
def seed_command(
    demo_data: Annotated[bool, typer.Option("--demo", help="Seed the demo tenants.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Seed data. `spring seed --demo` writes the demo tenants (never implicitly)."""
    from db.demo import demo_present, seed_demo
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
def config() -> None:
    """Print the effective configuration, secrets hidden."""
    settings = Settings()
    for name, value in settings.model_dump().items():
        shown = value
        if name in {"secret_key", "db_app_password"} and value:
            shown = "***"
        elif name in {"database_url", "app_database_url"} and value:
            from sqlalchemy.engine import make_url

            shown = make_url(value).render_as_string(hide_password=True)
        typer.echo(f"{name} = {shown}")


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
