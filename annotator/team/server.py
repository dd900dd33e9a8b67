"""The team server's schema, roles and row-level security, versioned like the
local schema: ``init_server`` creates or migrates it, a client refuses a server
newer than itself.

Every team table lives in the ``annotator`` schema. Every row carries ``seq``,
taken from one sequence by a trigger that first takes a transaction-wide
advisory lock: writers therefore commit in ``seq`` order, and a client that has
read everything up to ``seq`` N never later finds a row below N (the cursor of
a pull can simply be the highest ``seq`` it saw).

Roles: ``annotator_analyst`` (every analyst) and ``annotator_curator`` (a
member of it). An analyst is a LOGIN role of their own name in one of them;
the policies compare rows with ``current_user``, so the rules hold for any
client, plain ``psql`` included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import psycopg
from psycopg import sql

SERVER_SCHEMA_VERSION = 4
ANALYST_ROLE = "annotator_analyst"
CURATOR_ROLE = "annotator_curator"
_CURATOR = f"pg_has_role(current_user, '{CURATOR_ROLE}', 'MEMBER')"


class TeamError(Exception):
    """A team-server problem explained for a person. ``refused``: the server answered
    and said no (the login, the role, its schema version, a permission), so trying
    again changes nothing until someone acts on the message; otherwise it could not be
    reached (down, no network), and trying again later is the remedy."""

    def __init__(self, message: str, *, refused: bool = False):
        super().__init__(message)
        self.refused = refused


# libpq writes an error the server sent as "SEVERITY:  message" (two spaces); its own
# (no route, refused, timed out) have no such head. psycopg gives no SQLSTATE for a
# failed connection, so this is how one tells "answered no" from "did not answer".
_SERVER_SAID = re.compile(r"failed: [A-ZÀ-Ý][^:\n]*:  ")


_MIGRATIONS: list[str] = [
    f"""
    CREATE SCHEMA annotator;
    CREATE TABLE annotator.meta (key text PRIMARY KEY, value text NOT NULL);
    INSERT INTO annotator.meta VALUES ('server_id', gen_random_uuid()::text);
    CREATE SEQUENCE annotator.seq;

    CREATE FUNCTION annotator.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Writers take turns from their first write to their commit, so rows
        -- become visible in seq order (see the module's docstring).
        PERFORM pg_advisory_xact_lock(74021);
        NEW.seq := nextval('annotator.seq');
        RETURN NEW;
    END $$;

    CREATE TABLE annotator.articles (
        content_hash text PRIMARY KEY,
        title text NOT NULL, outlet text NOT NULL DEFAULT '', author text NOT NULL DEFAULT '',
        url text NOT NULL DEFAULT '', published text NOT NULL DEFAULT '', text text NOT NULL,
        added text NOT NULL, added_by text NOT NULL DEFAULT current_user,
        seq bigint NOT NULL
    );
    CREATE TABLE annotator.tags (
        name text PRIMARY KEY, colour text NOT NULL, shortcut text NOT NULL DEFAULT '',
        description text NOT NULL DEFAULT '', position integer NOT NULL DEFAULT 0,
        deleted boolean NOT NULL DEFAULT false, seq bigint NOT NULL
    );
    CREATE TABLE annotator.annotations (
        uuid text PRIMARY KEY,
        article_hash text NOT NULL REFERENCES annotator.articles (content_hash),
        tag_name text NOT NULL REFERENCES annotator.tags (name) ON UPDATE CASCADE,
        start integer NOT NULL CHECK (start >= 0), "end" integer NOT NULL CHECK ("end" > start),
        quote text NOT NULL CHECK (char_length(quote) = "end" - start),
        note text NOT NULL DEFAULT '', analyst text NOT NULL,
        layer text NOT NULL DEFAULT '' CHECK (layer IN ('', 'curated')),
        created text NOT NULL, updated text NOT NULL,
        value text NOT NULL DEFAULT '', origin text NOT NULL DEFAULT '',
        deleted boolean NOT NULL DEFAULT false, seq bigint NOT NULL
    );
    CREATE INDEX annotations_by_tag ON annotator.annotations (tag_name) WHERE NOT deleted;
    CREATE TABLE annotator.links (
        from_uuid text NOT NULL REFERENCES annotator.annotations (uuid),
        to_uuid text NOT NULL REFERENCES annotator.annotations (uuid),
        kind text NOT NULL, cue text NOT NULL DEFAULT '',
        analyst text NOT NULL, created text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (from_uuid, to_uuid, kind)
    );
    CREATE INDEX articles_by_seq ON annotator.articles (seq);
    CREATE INDEX tags_by_seq ON annotator.tags (seq);
    CREATE INDEX annotations_by_seq ON annotator.annotations (seq);
    CREATE INDEX links_by_seq ON annotator.links (seq);

    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.articles FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.tags FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.annotations FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.links FOR EACH ROW EXECUTE FUNCTION annotator.stamp();

    -- A tag in use by anyone is never deleted under them.
    CREATE FUNCTION annotator.tag_in_use() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.deleted AND NOT OLD.deleted AND EXISTS (
            SELECT 1 FROM annotator.annotations WHERE tag_name = OLD.name AND NOT deleted) THEN
            RAISE EXCEPTION 'the tag "%" is in use; it cannot be deleted', OLD.name
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER in_use BEFORE UPDATE ON annotator.tags FOR EACH ROW EXECUTE FUNCTION annotator.tag_in_use();

    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ANALYST_ROLE}') THEN
            CREATE ROLE {ANALYST_ROLE} NOLOGIN;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CURATOR_ROLE}') THEN
            CREATE ROLE {CURATOR_ROLE} NOLOGIN IN ROLE {ANALYST_ROLE};
        END IF;
    END $$;
    GRANT USAGE ON SCHEMA annotator TO {ANALYST_ROLE};
    GRANT USAGE ON SEQUENCE annotator.seq TO {ANALYST_ROLE};
    GRANT SELECT ON ALL TABLES IN SCHEMA annotator TO {ANALYST_ROLE};
    GRANT INSERT ON annotator.articles, annotator.annotations, annotator.links TO {ANALYST_ROLE};
    GRANT UPDATE ON annotator.annotations, annotator.links TO {ANALYST_ROLE};
    GRANT INSERT, UPDATE ON annotator.tags TO {CURATOR_ROLE};
    GRANT UPDATE ON annotator.articles TO {CURATOR_ROLE};

    ALTER TABLE annotator.articles ENABLE ROW LEVEL SECURITY;
    ALTER TABLE annotator.tags ENABLE ROW LEVEL SECURITY;
    ALTER TABLE annotator.annotations ENABLE ROW LEVEL SECURITY;
    ALTER TABLE annotator.links ENABLE ROW LEVEL SECURITY;
    CREATE POLICY read ON annotator.articles FOR SELECT USING (true);
    CREATE POLICY add ON annotator.articles FOR INSERT WITH CHECK (added_by = current_user);
    CREATE POLICY curate ON annotator.articles FOR UPDATE USING ({_CURATOR});
    CREATE POLICY read ON annotator.tags FOR SELECT USING (true);
    CREATE POLICY add ON annotator.tags FOR INSERT WITH CHECK ({_CURATOR});
    CREATE POLICY curate ON annotator.tags FOR UPDATE USING ({_CURATOR});
    CREATE POLICY read ON annotator.annotations FOR SELECT USING (true);
    CREATE POLICY add ON annotator.annotations FOR INSERT WITH CHECK (
        (layer = '' AND analyst = current_user) OR (layer = 'curated' AND {_CURATOR}));
    CREATE POLICY change ON annotator.annotations FOR UPDATE
        USING ((layer = '' AND analyst = current_user) OR (layer = 'curated' AND {_CURATOR}))
        WITH CHECK ((layer = '' AND analyst = current_user) OR (layer = 'curated' AND {_CURATOR}));
    CREATE POLICY read ON annotator.links FOR SELECT USING (true);
    CREATE POLICY add ON annotator.links FOR INSERT WITH CHECK (analyst = current_user);
    CREATE POLICY change ON annotator.links FOR UPDATE USING (analyst = current_user) WITH CHECK (analyst = current_user);
    """,
    # 2: what is said about an article. Its metadata and memo are the team's, one row
    # per field, the latest edit winning (by time, then analyst name), with who made it;
    # its status is each analyst's own (INCEpTION's document state per annotator).
    f"""
    CREATE TABLE annotator.article_fields (
        article_hash text NOT NULL REFERENCES annotator.articles (content_hash),
        field text NOT NULL CHECK (field IN ('title', 'outlet', 'author', 'url', 'published', 'memo')),
        value text NOT NULL, changed_at text NOT NULL, changed_by text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (article_hash, field)
    );
    CREATE TABLE annotator.article_status (
        article_hash text NOT NULL REFERENCES annotator.articles (content_hash),
        analyst text NOT NULL,
        status text NOT NULL CHECK (status IN ('to do', 'in progress', 'done')),
        changed_at text NOT NULL,
        seq bigint NOT NULL,
        PRIMARY KEY (article_hash, analyst)
    );
    CREATE INDEX article_fields_by_seq ON annotator.article_fields (seq);
    CREATE INDEX article_status_by_seq ON annotator.article_status (seq);
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.article_fields
        FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.article_status
        FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    GRANT SELECT, INSERT, UPDATE ON annotator.article_fields, annotator.article_status TO {ANALYST_ROLE};
    ALTER TABLE annotator.article_fields ENABLE ROW LEVEL SECURITY;
    ALTER TABLE annotator.article_status ENABLE ROW LEVEL SECURITY;
    CREATE POLICY read ON annotator.article_fields FOR SELECT USING (true);
    CREATE POLICY add ON annotator.article_fields FOR INSERT WITH CHECK (changed_by = current_user);
    CREATE POLICY change ON annotator.article_fields FOR UPDATE USING (true) WITH CHECK (changed_by = current_user);
    CREATE POLICY read ON annotator.article_status FOR SELECT USING (true);
    CREATE POLICY add ON annotator.article_status FOR INSERT WITH CHECK (analyst = current_user);
    CREATE POLICY change ON annotator.article_status FOR UPDATE
        USING (analyst = current_user) WITH CHECK (analyst = current_user);
    """,
    # 3: the curators' rejections (an analyst's span settled without a curated one);
    # a withdrawn one stays as a row, so that every client hears of the withdrawal.
    f"""
    CREATE TABLE annotator.curation_rejections (
        uuid text PRIMARY KEY,
        article_hash text NOT NULL REFERENCES annotator.articles (content_hash),
        curator text NOT NULL, at text NOT NULL,
        withdrawn boolean NOT NULL DEFAULT false,
        seq bigint NOT NULL
    );
    CREATE INDEX curation_rejections_by_seq ON annotator.curation_rejections (seq);
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.curation_rejections
        FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    GRANT SELECT ON annotator.curation_rejections TO {ANALYST_ROLE};
    GRANT INSERT, UPDATE ON annotator.curation_rejections TO {CURATOR_ROLE};
    ALTER TABLE annotator.curation_rejections ENABLE ROW LEVEL SECURITY;
    CREATE POLICY read ON annotator.curation_rejections FOR SELECT USING (true);
    CREATE POLICY add ON annotator.curation_rejections FOR INSERT WITH CHECK ({_CURATOR} AND curator = current_user);
    CREATE POLICY change ON annotator.curation_rejections FOR UPDATE USING ({_CURATOR})
        WITH CHECK ({_CURATOR} AND curator = current_user);
    """,
    # 4: the project memo is the team's (the latest edit wins, as an article's memo);
    # a curator deletes an article for everyone with a mark (no row is ever deleted).
    # Analysts have no DELETE on articles at all, and the ``curate`` policy of 1 keeps
    # every UPDATE of an article, the mark included, to curators.
    f"""
    CREATE TABLE annotator.project_fields (
        field text PRIMARY KEY CHECK (field IN ('memo')),
        value text NOT NULL, changed_at text NOT NULL, changed_by text NOT NULL,
        seq bigint NOT NULL
    );
    CREATE INDEX project_fields_by_seq ON annotator.project_fields (seq);
    CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON annotator.project_fields
        FOR EACH ROW EXECUTE FUNCTION annotator.stamp();
    GRANT SELECT, INSERT, UPDATE ON annotator.project_fields TO {ANALYST_ROLE};
    ALTER TABLE annotator.project_fields ENABLE ROW LEVEL SECURITY;
    CREATE POLICY read ON annotator.project_fields FOR SELECT USING (true);
    CREATE POLICY add ON annotator.project_fields FOR INSERT WITH CHECK (changed_by = current_user);
    CREATE POLICY change ON annotator.project_fields FOR UPDATE USING (true) WITH CHECK (changed_by = current_user);

    ALTER TABLE annotator.articles ADD COLUMN deleted boolean NOT NULL DEFAULT false;
    ALTER TABLE annotator.articles ADD COLUMN deleted_by text NOT NULL DEFAULT '';
    ALTER TABLE annotator.articles ADD COLUMN deleted_at text NOT NULL DEFAULT '';
    -- Once deleted, an article stays so: a mark is never taken back by a later send.
    CREATE FUNCTION annotator.article_stays_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.deleted AND NOT NEW.deleted THEN
            RAISE EXCEPTION 'the article % was deleted by %; it stays deleted', OLD.content_hash, OLD.deleted_by
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$;
    CREATE TRIGGER stays_deleted BEFORE UPDATE ON annotator.articles
        FOR EACH ROW EXECUTE FUNCTION annotator.article_stays_deleted();
    """,
]


def _where(conn: psycopg.Connection) -> str:
    """The server for messages: host, port and database, never a password."""
    info = conn.info
    return f"{info.dbname} on {info.host}:{info.port}"


def connect(conninfo: str, *, timeout: int = 5, **params: str) -> psycopg.Connection:
    """Connect to the team server with libpq's own means for passwords (PGPASSWORD,
    ~/.pgpass, a service file); raises TeamError with a readable message."""
    try:
        return psycopg.connect(
            conninfo, connect_timeout=timeout, application_name="annotator", autocommit=True, **params
        )
    except psycopg.Error as error:
        said = _SERVER_SAID.search(str(error))
        if said:
            reason = str(error)[said.end():].strip().splitlines()[0]
            raise TeamError(
                f"The team server refused the login: {reason}. Check the user (the analyst) and the database in "
                "the connection string (Team → Connect…) and the password (PGPASSWORD, ~/.pgpass or a service "
                "file); an administrator adds analysts with: annotator team add-analyst --server URL NAME",
                refused=True) from error
        raise TeamError(f"Cannot reach the team server: {_first_line(error)}") from error


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def server_version(conn: psycopg.Connection) -> int:
    """The schema version of the team server (0: not initialised)."""
    row = conn.execute(
        "SELECT to_regclass('annotator.meta') IS NOT NULL"
    ).fetchone()
    if not row[0]:
        return 0
    found = conn.execute("SELECT value FROM annotator.meta WHERE key = 'schema_version'").fetchone()
    return int(found[0]) if found else 0


def check_server(conn: psycopg.Connection) -> str:
    """Refuse a server this program cannot use; return its id."""
    version = server_version(conn)
    if version == 0:
        raise TeamError(
            f"The team server {_where(conn)} has no annotator schema yet. "
            "An administrator creates it with: annotator team init --server URL", refused=True
        )
    if version > SERVER_SCHEMA_VERSION:
        raise TeamError(
            f"The team server {_where(conn)} was set up by a newer annotator (server schema {version}; "
            f"this program knows up to {SERVER_SCHEMA_VERSION}). Please upgrade annotator.", refused=True
        )
    if version < SERVER_SCHEMA_VERSION:
        raise TeamError(
            f"The team server {_where(conn)} needs upgrading (server schema {version}, this program uses "
            f"{SERVER_SCHEMA_VERSION}). An administrator runs: annotator team init --server URL", refused=True
        )
    return conn.execute("SELECT value FROM annotator.meta WHERE key = 'server_id'").fetchone()[0]


def init_server(conninfo: str, default_tags: Iterable[dict] = ()) -> tuple[int, int]:
    """Create or migrate the team schema, roles and policies (run by an administrator
    who may create roles); ``default_tags`` start the codebook of a new server.
    Returns ``(version before, version after)``."""
    with connect(conninfo) as conn:
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(74022)")
                before = server_version(conn)
                if before > SERVER_SCHEMA_VERSION:
                    check_server(conn)
                for version in range(before + 1, SERVER_SCHEMA_VERSION + 1):
                    conn.execute(_MIGRATIONS[version - 1])
                    conn.execute(
                        "INSERT INTO annotator.meta VALUES ('schema_version', %s)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (str(version),),
                    )
                if before == 0:
                    with conn.cursor() as cur:
                        cur.executemany(
                            "INSERT INTO annotator.tags (name, colour, shortcut, description, position)"
                            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                            [(t["name"], t["colour"], t.get("shortcut", ""), t.get("description", ""), i)
                             for i, t in enumerate(default_tags, 1)],
                        )
        except psycopg.errors.InsufficientPrivilege as error:
            raise TeamError(
                f"Cannot set up the team server {_where(conn)}: {_first_line(error)}. "
                "Run this as the database owner or a superuser."
            ) from error
    return before, SERVER_SCHEMA_VERSION


_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,62}$")


def add_analyst(conninfo: str, name: str, *, curator: bool = False) -> bool:
    """Create the LOGIN role ``name`` for an analyst (a curator with ``curator``),
    or change an existing one's membership. Returns True when the role is new.
    Its password is set by the administrator with libpq's tools (``\\password``)."""
    if not _ROLE_NAME.match(name) or name.startswith("pg_") or name.startswith("annotator_"):
        raise TeamError(
            f"“{name}” cannot be an analyst's name: use letters, digits, '_', '.' or '-' "
            "(up to 63), starting with a letter, and not pg_… or annotator_…."
        )
    with connect(conninfo) as conn:
        check_server(conn)
        try:
            with conn.transaction():
                exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
                role = sql.Identifier(name)
                if not exists:
                    conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(role))
                conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(ANALYST_ROLE), role))
                if curator:
                    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(CURATOR_ROLE), role))
                else:
                    conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(CURATOR_ROLE), role))
        except psycopg.errors.InsufficientPrivilege as error:
            raise TeamError(
                f"Cannot create the analyst {name} on {_where(conn)}: {_first_line(error)}. "
                "Run this as a role that may create roles."
            ) from error
    return not exists


def is_curator(conn: psycopg.Connection) -> bool:
    return bool(conn.execute(f"SELECT {_CURATOR}").fetchone()[0])


def identify(conn: psycopg.Connection) -> tuple[str, str, bool]:
    """``(analyst, server id, curator)`` of a connection, once the server is one this
    program can use (see :func:`check_server`); a connection lost meanwhile is a
    TeamError too."""
    try:
        name = current_analyst(conn)
        return name, check_server(conn), is_curator(conn)
    except psycopg.OperationalError as error:
        raise TeamError(f"Lost the team server {_where(conn)}: {_first_line(error)}") from error
    except psycopg.Error as error:
        raise TeamError(f"The team server {_where(conn)} refused: {_first_line(error)}", refused=True) from error


def current_analyst(conn: psycopg.Connection) -> str:
    """The analyst connected: the role named in the URL, which must be one of the team."""
    name, member = conn.execute(
        f"SELECT current_user, pg_has_role(current_user, '{ANALYST_ROLE}', 'MEMBER')"
    ).fetchone()
    if not member:
        raise TeamError(
            f"The role {name} is not an analyst of the team on {_where(conn)}. An administrator adds it with: "
            f"annotator team add-analyst --server URL {name}", refused=True
        )
    return name
