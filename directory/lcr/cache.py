"""The public LCR figures, cached per language until a write changes them.

The city's figures are the same for everybody who may see them, so the pages and the API
keep what the selectors computed (not the HTML: pages carry per-visitor bits such as the
CSRF token) under a key of the language, the query and a version number. Every write that
changes the figures bumps the version: the ledger's refresh, a publication, a trajectory,
and the rows the ledger reads as they are (suppliers' listing and district, categories). The
version is bumped at once and again when the transaction commits, so that a request that
read the old figures meanwhile cannot keep them under the new version.
"""

import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache, caches
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "lcr:version"
#: A backstop: even without a write, figures are computed again after this long (the
#: default year follows the calendar).
LCR_CACHE_SECONDS = 600
#: Where the figures are kept: each web process's memory. Only the version is shared (the
#: default cache), so a bump anywhere retires every process's copies at once, and a hit
#: costs one look-up of the version.
FIGURES_CACHE = "lcr_figures"

T = TypeVar("T")


def lcr_cached(name: str, compute: Callable[[], T], **query: Any) -> T:
    """`compute()`, or what it answered for this name, query and language since the last
    change of the figures. Before the first change ever recorded nothing is kept."""
    version = cache.get(VERSION_KEY)
    if version is None:
        return compute()
    parts = ",".join(f"{key}={query[key]}" for key in sorted(query))
    key = f"lcr:{version}:{name}:{get_language()}:{parts}"
    figures = caches[FIGURES_CACHE]
    value = figures.get(key)
    if value is None:
        value = compute()
        figures.set(key, value, timeout=LCR_CACHE_SECONDS)
    return value


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # No version yet (or the cache dropped it): start from a random one, so that no
        # process's copies of an earlier life of the counter can match it.
        cache.add(VERSION_KEY, secrets.randbits(62), timeout=None)


def lcr_cache_invalidate() -> None:
    """The figures changed (or will when the transaction commits): compute them afresh."""
    _bump()
    transaction.on_commit(_bump)


def invalidate_on_change(sender, raw: bool = False, **kwargs: Any) -> None:
    """A signal receiver: a row the figures read as they are was saved or deleted."""
    if not raw:
        lcr_cache_invalidate()
