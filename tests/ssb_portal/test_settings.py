"""Settings come from the environment; a production start without a secret key is refused.

Each case starts a fresh interpreter, because settings are read once per process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

REPORT = """
import json, django
from django.conf import settings
django.setup()
database = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": database["ENGINE"],
    "name": str(database["NAME"]),
    "host": database.get("HOST", ""),
    "port": database.get("PORT", ""),
    "user": database.get("USER", ""),
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "language_code": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE,
    "use_tz": settings.USE_TZ,
    "password_validators": [v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS],
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
}))
"""


def start(**environ: str) -> subprocess.CompletedProcess:
    """Start Django in a new interpreter with only the given portal variables set."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    env.update(environ, DJANGO_SETTINGS_MODULE="ssb_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", REPORT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def started(**environ: str) -> dict:
    result = start(**environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def development():
    """The settings of `DEBUG=1` with nothing else set, as `make run` starts the portal."""
    return started(DEBUG="1")


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = start()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_refuses_to_start_with_empty_secret_key_and_debug_explicitly_off():
    result = start(DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_to_start_in_production_without_the_audit_chain_key():
    result = start(SECRET_KEY="a-long-random-production-secret")
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY must be set" in result.stderr


def test_starts_in_production_mode_with_a_secret_key():
    report = started(
        SECRET_KEY="a-long-random-production-secret",
        AUDIT_CHAIN_KEY="a-long-random-audit-chain-secret",
        ALLOWED_HOSTS="ssb.example.cn",
    )
    assert report["debug"] is False
    assert report["allowed_hosts"] == ["ssb.example.cn"]
    assert report["session_cookie_secure"] is True


def test_debug_mode_starts_without_secret_key_and_allows_local_hosts(development):
    assert development["debug"] is True
    assert "localhost" in development["allowed_hosts"]
    assert "127.0.0.1" in development["allowed_hosts"]


def test_default_database_is_sqlite_under_var(development):
    assert development["engine"] == "django.db.backends.sqlite3"
    assert Path(development["name"]) == BASE_DIR / "var" / "ssb_portal.sqlite3"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_database_url_selects_postgresql(scheme):
    report = started(
        DEBUG="1", DATABASE_URL=f"{scheme}://portal@db.internal:6543/ssb_portal_production"
    )
    assert report["engine"] == "django.db.backends.postgresql"
    assert report["name"] == "ssb_portal_production"
    assert report["host"] == "db.internal"
    assert report["port"] == 6543
    assert report["user"] == "portal"


def test_locale_and_time_zone_of_the_city(development):
    assert development["time_zone"] == "Asia/Shanghai"
    assert development["use_tz"] is True
    assert development["language_code"] == "zh-hans"
    assert development["languages"] == ["zh-hans", "en"]


def test_password_validators_are_on(development):
    assert development["password_validators"] == [
        "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "django.contrib.auth.password_validation.MinimumLengthValidator",
        "django.contrib.auth.password_validation.CommonPasswordValidator",
        "django.contrib.auth.password_validation.NumericPasswordValidator",
    ]


def test_the_web_server_refuses_to_start_without_secret_key():
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [sys.executable, "-c", "import ssb_portal.wsgi"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("environ", "debug"),
    [
        # A developer's machine: no secret, so manage.py works in development mode.
        ({}, "True"),
        # Production: the key is set, and manage.py leaves DEBUG off.
        (
            {
                "SECRET_KEY": "a-long-random-production-secret",
                "AUDIT_CHAIN_KEY": "a-long-random-audit-chain-secret",
            },
            "False",
        ),
    ],
)
def test_manage_py_is_in_development_mode_only_without_a_secret_key(environ, debug):
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=BASE_DIR,
        env=env | environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == debug
