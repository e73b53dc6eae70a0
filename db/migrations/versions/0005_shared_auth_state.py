"""shared authentication state: the login throttle and the spent refresh tokens

Revision ID: 0005
Revises: 0004

The login throttle's failures and the spent refresh tokens move from each process's memory
into PostgreSQL, so every instance behind a load balancer shares them (DESIGN §8).

They live in their own schema, `spring_auth`, owned by the owner: the application role has no
USAGE on it and no privilege on its tables (row-level security is forced on them too, with a
policy for the owner only). The application reaches them only through SECURITY DEFINER
functions owned by the owner, each answering only what its check needs:

- `spring_login_attempt(keys, maxima, attempt, now, window)`: refuse (the keys whose count is
  exhausted, with when to retry) or count the attempt as a failure of every key, atomically
  (one advisory lock per key, taken in a fixed order);
- `spring_login_forgive(keys, attempt, clear)`: the password was right: drop the attempt's
  failures, and every failure of the `clear` keys (the account's);
- `spring_login_failures(key, now)`: the number of failures of one key in the window;
- `spring_spend_refresh_token(token, family, expires_at)`: spend a refresh token once (false,
  and its family revoked, if it already was, or if its family is revoked);
- `spring_prune_auth_state()`: delete what has expired (the periodic task calls it).

Keys, token ids and families are SHA-256 digests computed by the application: no e-mail,
address or token id is stored in clear.

Create Date: 2026-11-28 05:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("login_failures", "spent_refresh_tokens", "revoked_refresh_families")

LOGIN_ATTEMPT = """
CREATE FUNCTION spring_login_attempt(
    p_keys bytea[], p_maxima integer[], p_attempt uuid, p_now timestamptz, p_window interval)
RETURNS TABLE (key_index integer, retry_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
    lock_id integer;
    failures integer;
    refused boolean := false;
BEGIN
    IF cardinality(p_keys) <> cardinality(p_maxima) THEN
        RAISE EXCEPTION 'one maximum per key';
    END IF;
    -- One attempt at a time per key, whatever the instance, locks taken in a fixed order (no
    -- deadlock): counting and recording below are atomic. Released at the end of the caller's
    -- transaction; the rows recorded are then visible to the next attempt. Class 2026112803,
    -- two-integer form: its key space does not overlap the bigint locks of migrations.
    FOR lock_id IN
        SELECT DISTINCT ('x' || encode(substring(k FROM 1 FOR 4), 'hex'))::bit(32)::integer
          FROM unnest(p_keys) AS k ORDER BY 1
    LOOP
        PERFORM pg_advisory_xact_lock(2026112803, lock_id);
    END LOOP;
    DELETE FROM spring_auth.login_failures WHERE key = ANY (p_keys) AND expires_at <= p_now;
    FOR i IN 1 .. cardinality(p_keys) LOOP
        SELECT count(*) INTO failures
          FROM spring_auth.login_failures f WHERE f.key = p_keys[i] AND f.expires_at > p_now;
        IF failures >= p_maxima[i] THEN
            refused := true;
            key_index := i - 1;
            -- The count falls below the maximum when this failure leaves the window.
            SELECT f.expires_at INTO retry_at
              FROM spring_auth.login_failures f
             WHERE f.key = p_keys[i] AND f.expires_at > p_now
             ORDER BY f.expires_at
            OFFSET failures - p_maxima[i] LIMIT 1;
            RETURN NEXT;
        END IF;
    END LOOP;
    IF NOT refused THEN
        INSERT INTO spring_auth.login_failures (key, attempt, at, expires_at)
        SELECT DISTINCT k, p_attempt, p_now, p_now + p_window FROM unnest(p_keys) AS k;
    END IF;
END
$$
"""

LOGIN_FORGIVE = """
CREATE FUNCTION spring_login_forgive(p_keys bytea[], p_attempt uuid, p_clear bytea[])
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    DELETE FROM spring_auth.login_failures
     WHERE (key = ANY (p_keys) AND attempt = p_attempt) OR key = ANY (p_clear)
$$
"""

LOGIN_FAILURES = """
CREATE FUNCTION spring_login_failures(p_key bytea, p_now timestamptz)
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    SELECT count(*)::integer FROM spring_auth.login_failures
     WHERE key = p_key AND expires_at > p_now
$$
"""

SPEND_FUNCTION = """
CREATE FUNCTION spring_spend_refresh_token(
    p_token bytea, p_family bytea, p_expires_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM spring_auth.revoked_refresh_families WHERE family = p_family) THEN
        RETURN false;
    END IF;
    -- The primary key decides between concurrent spends of one token: exactly one inserts.
    INSERT INTO spring_auth.spent_refresh_tokens (token, family, expires_at)
    VALUES (p_token, p_family, p_expires_at)
    ON CONFLICT (token) DO NOTHING;
    IF FOUND THEN
        RETURN true;
    END IF;
    -- Spent already: it was copied. The whole family (the login's session) is revoked.
    INSERT INTO spring_auth.revoked_refresh_families (family, expires_at)
    VALUES (p_family, p_expires_at)
    ON CONFLICT (family) DO UPDATE
       SET expires_at = greatest(spring_auth.revoked_refresh_families.expires_at,
                                 excluded.expires_at);
    RETURN false;
END
$$
"""

PRUNE = """
CREATE FUNCTION spring_prune_auth_state()
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
    WITH failures AS (
        DELETE FROM spring_auth.login_failures WHERE expires_at <= now() RETURNING 1
    ), tokens AS (
        DELETE FROM spring_auth.spent_refresh_tokens WHERE expires_at <= now() RETURNING 1
    ), families AS (
        DELETE FROM spring_auth.revoked_refresh_families WHERE expires_at <= now() RETURNING 1
    )
    SELECT (SELECT count(*) FROM failures) + (SELECT count(*) FROM tokens)
         + (SELECT count(*) FROM families)
$$
"""

#: The functions' signatures (db/migrate.py grants EXECUTE on them to the application role).
FUNCTIONS = (
    "spring_login_attempt(bytea[], integer[], uuid, timestamptz, interval)",
    "spring_login_forgive(bytea[], uuid, bytea[])",
    "spring_login_failures(bytea, timestamptz)",
    "spring_spend_refresh_token(bytea, bytea, timestamptz)",
    "spring_prune_auth_state()",
)


def upgrade() -> None:
    op.execute("CREATE SCHEMA spring_auth")
    op.execute("REVOKE ALL ON SCHEMA spring_auth FROM PUBLIC")
    op.execute(
        "CREATE TABLE spring_auth.login_failures ("
        " key bytea NOT NULL,"
        " attempt uuid NOT NULL,"
        " at timestamptz NOT NULL,"
        " expires_at timestamptz NOT NULL,"
        " CONSTRAINT pk_login_failures PRIMARY KEY (key, attempt))"
    )
    op.execute(
        "CREATE INDEX ix_login_failures_key_expires_at"
        " ON spring_auth.login_failures (key, expires_at)"
    )
    op.execute(
        "CREATE INDEX ix_login_failures_expires_at ON spring_auth.login_failures (expires_at)"
    )
    op.execute(
        "CREATE TABLE spring_auth.spent_refresh_tokens ("
        " token bytea NOT NULL,"
        " family bytea NOT NULL,"
        " expires_at timestamptz NOT NULL,"
        " CONSTRAINT pk_spent_refresh_tokens PRIMARY KEY (token))"
    )
    op.execute(
        "CREATE INDEX ix_spent_refresh_tokens_expires_at"
        " ON spring_auth.spent_refresh_tokens (expires_at)"
    )
    op.execute(
        "CREATE TABLE spring_auth.revoked_refresh_families ("
        " family bytea NOT NULL,"
        " expires_at timestamptz NOT NULL,"
        " CONSTRAINT pk_revoked_refresh_families PRIMARY KEY (family))"
    )
    op.execute(
        "CREATE INDEX ix_revoked_refresh_families_expires_at"
        " ON spring_auth.revoked_refresh_families (expires_at)"
    )
    for table in TABLES:
        op.execute(f"REVOKE ALL ON TABLE spring_auth.{table} FROM PUBLIC")
        op.execute(f"ALTER TABLE spring_auth.{table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE spring_auth.{table} FORCE ROW LEVEL SECURITY")
        # The owner only (and so the SECURITY DEFINER functions it owns).
        op.execute(
            f"CREATE POLICY owner_all ON spring_auth.{table} FOR ALL TO CURRENT_USER"
            " USING (true) WITH CHECK (true)"
        )
    for function in (LOGIN_ATTEMPT, LOGIN_FORGIVE, LOGIN_FAILURES, SPEND_FUNCTION, PRUNE):
        op.execute(function)
    for signature in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")


def downgrade() -> None:
    for signature in FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.execute("DROP SCHEMA IF EXISTS spring_auth CASCADE")
