"""What the benches that run the production server share: a free port, a database of their
own made anew, and the production environment (DEBUG off, keys made for the run, plain HTTP
on the loopback). Used by fault_test.py, two_servers.py and load/run.py."""

import os
import re
import secrets
import socket
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def own_database_name(url: str, marker: str) -> str:
    """The database's name, refused unless it carries `marker`: these benches drop it."""
    name = urlparse(url).path.lstrip("/")
    if marker not in name or not re.fullmatch(r"\w+", name):
        raise SystemExit(f"The database name must contain {marker!r}: {name!r}")
    return name


def maintenance_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def recreate_database(url: str, marker: str, *, create: bool = True) -> None:
    """Drop the bench's own database (refused unless its name carries `marker`) and, unless
    `create` is false, create it empty."""
    import psycopg

    name = own_database_name(url, marker)
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def production_environment(**settings: str) -> dict[str, str]:
    """This process's environment in production mode for one run (a secret key and an audit
    key made now, unless given), plain HTTP on the loopback, with `settings` on top."""
    inherited = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "ssb_portal.settings",
        "PYTHONPATH": str(BASE_DIR),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_CHAIN_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        **settings,
    }
