"""Which tables each SQL statement reads or writes, and one version per table in the shared cache.

Every connection gets `watch_statements` as an execute wrapper when it is made. A write bumps
the versions of the tables it names once its transaction commits (at once in autocommit; never
after a rollback); a request being considered for the page cache collects the tables its reads
name. Statements are parsed once per distinct SQL text: the names that are the portal's tables
(quoted or not, in FROM, JOIN, subqueries and raw SQL alike) are the statement's tables.
Naming a table too many only retires pages sooner; the parse errs that way.
"""

import contextvars
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache as memoize
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

VERSION_PREFIX = "page-cache:table:"
WRITE_VERBS = {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "MERGE", "COPY", "REPLACE"}
SCHEMA_VERBS = {"ALTER", "DROP", "CREATE"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_FIRST_WORD = re.compile(r"\s*\(*\s*([A-Za-z]+)")


@memoize
def portal_tables() -> frozenset[str]:
    """Every table of the installed models (many-to-many tables included), less the database
    cache's own table: its rows are the cache, not what pages show."""
    names = set()
    for model in apps.get_models(include_auto_created=True):
        names.add(model._meta.db_table.lower())
    cache_table = settings.CACHES["default"].get("LOCATION", "")
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        names.discard(cache_table.lower())
    return frozenset(names)


@dataclass(frozen=True)
class Statement:
    writes: bool
    tables: frozenset[str]


@lru_cache(maxsize=8192)
def parse(sql: str) -> Statement:
    """Whether `sql` writes, and the portal's tables it names."""
    first = _FIRST_WORD.match(sql)
    verb = first.group(1).upper() if first else ""
    words = {word.lower() for word in _WORD.findall(sql)}
    tables = frozenset(words & portal_tables())
    if verb == "WITH":  # a common table expression may end in a write
        writes = any(word.upper() in WRITE_VERBS - {"COPY"} for word in words)
    else:
        writes = verb in WRITE_VERBS or verb in SCHEMA_VERBS
    return Statement(writes=writes, tables=tables)


# --- reads of a request being considered for the page cache -----------------------------------


@dataclass
class Recording:
    """What one request's statements touched, while it renders a page that may be kept."""

    read: set[str] = field(default_factory=set)
    wrote: bool = False


_recording: contextvars.ContextVar[Recording | None] = contextvars.ContextVar(
    "page_cache_recording", default=None
)


class recording:
    """`with recording() as seen:` collects in `seen` the tables the block's statements name."""

    def __enter__(self) -> Recording:
        self.seen = Recording()
        self.token = _recording.set(self.seen)
        return self.seen

    def __exit__(self, *exc_info) -> None:
        _recording.reset(self.token)


# --- versions ----------------------------------------------------------------------------------


def version_key(table: str) -> str:
    return VERSION_PREFIX + table


def new_version() -> str:
    # Random, not a counter: a version the cache lost and made again can never equal one a
    # kept page still holds.
    return secrets.token_hex(8)


def table_versions(tables: Iterable[str]) -> dict[str, str]:
    """The current version of each table; one that has none yet is given one."""
    tables = list(tables)
    found = cache.get_many([version_key(table) for table in tables])
    versions = {table: found.get(version_key(table)) for table in tables}
    for table, version in versions.items():
        if version is None:
            cache.add(version_key(table), new_version(), timeout=None)
            versions[table] = cache.get(version_key(table))
    return versions


def tables_changed(tables: Iterable[str]) -> None:
    """Retire every kept page that read one of `tables` (a committed write changed them)."""
    version = new_version()
    try:
        cache.set_many({version_key(table): version for table in tables}, timeout=None)
    except Exception as error:  # noqa: BLE001 (the write is committed; the cache may be down)
        # A cache that is down keeps no pages either; the pages it kept before expire after
        # PAGE_CACHE_SECONDS at the latest.
        logger.warning("Page cache: could not retire pages of %s: %s", sorted(tables), error)


@dataclass
class PendingChanges:
    """Tables written in the current transaction, retired together when it commits."""

    tables: set[str] = field(default_factory=set)

    def commit(self) -> None:
        tables_changed(self.tables)


def _pending_in(database) -> PendingChanges:
    """The transaction's PendingChanges, registered with on_commit once. A rollback (of the
    transaction, or of the savepoint it was registered in) drops it with Django's own
    callbacks; the next write registers a new one."""
    pending = getattr(database, "page_cache_pending", None)
    if pending is None or not any(entry[1] == pending.commit for entry in database.run_on_commit):
        pending = PendingChanges()
        database.page_cache_pending = pending
        transaction.on_commit(pending.commit, using=database.alias)
    return pending


def written(tables: Iterable[str], database=connection) -> None:
    """Note that `tables` were written (for writes that bypass the execute wrappers, such as
    COPY through the driver's own cursor)."""
    if not settings.PAGE_CACHE:
        return
    tables = set(tables)
    if not tables:
        return  # the database cache's own rows, say
    seen = _recording.get()
    if seen is not None:
        seen.wrote = True
    if database.in_atomic_block:
        _pending_in(database).tables.update(tables)
    else:
        tables_changed(tables)


def watch_statements(execute, sql, params, many, context):
    """The execute wrapper every connection carries (see `install`)."""
    if not settings.PAGE_CACHE:
        return execute(sql, params, many, context)
    statement = parse(sql)
    if not statement.writes:
        seen = _recording.get()
        if seen is not None:
            seen.read.update(statement.tables)
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    written(statement.tables, context["connection"])
    return result


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver: the wrapper goes on every new connection, once."""
    if watch_statements not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_statements)
