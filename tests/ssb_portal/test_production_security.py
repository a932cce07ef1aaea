"""Production settings: `check --deploy` is clean, HTTPS is enforced (HSTS, SSL redirect),
the proxy header and CSRF origins come from the environment, and a Content-Security-Policy
allows no inline script anywhere.

The settings cases start a fresh interpreter, because settings are read once per process.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ssb_portal import environment

BASE_DIR = Path(__file__).resolve().parents[2]
PORTAL_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "AUDIT_CHAIN_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "PRIVATE_STORAGE",
}
# W021 asks for SECURE_HSTS_PRELOAD: joining the browsers' preload list cannot be undone
# quickly, so it is the domain owner's decision (SECURE_HSTS_PRELOAD=1), not a default.
JUSTIFIED_WARNINGS = {"security.W021"}


def run(arguments: list[str], tmp_path: Path, **environ: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in PORTAL_VARIABLES}
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_CHAIN_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "portal.example.cn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "ssb_portal.settings",
        }
    )
    env.update(environ)
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(tmp_path: Path, **environ: str) -> dict:
    script = (
        "import json, django\nfrom django.conf import settings\ndjango.setup()\n"
        "print(json.dumps({name: getattr(settings, name) for name in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', "
        "'CSRF_TRUSTED_ORIGINS', 'SESSION_COOKIE_SECURE', 'STORAGES']}))"
    )
    result = run(["-c", script], tmp_path, DEBUG="0", **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_nothing_to_fix_in_production(tmp_path):
    result = run(["manage.py", "check", "--deploy"], tmp_path, DEBUG="0")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    found = set(re.findall(r"\(([a-z_.]+\.[EW]\d+)\)", output))
    assert "security.W004" not in found  # HSTS
    assert "security.W008" not in found  # SSL redirect
    assert found <= JUSTIFIED_WARNINGS, output


def test_production_turns_on_hsts_and_the_ssl_redirect_by_default(tmp_path):
    values = production_settings(tmp_path)

    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True


def test_the_proxy_header_and_csrf_origins_come_from_the_environment(tmp_path):
    values = production_settings(
        tmp_path,
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https",
        CSRF_TRUSTED_ORIGINS="https://portal.example.cn, https://admin.example.cn",
        SECURE_HSTS_SECONDS="600",
    )

    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://portal.example.cn",
        "https://admin.example.cn",
    ]
    assert values["SECURE_HSTS_SECONDS"] == 600


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto", "X-Forwarded-Proto=https"),
        ("CSRF_TRUSTED_ORIGINS", "portal.example.cn", "need a scheme"),
        ("SECURE_HSTS_SECONDS", "a year", "whole number"),
        ("PRIVATE_STORAGE", "ftp", "local or s3"),
        ("PRIVATE_STORAGE", "s3", "PRIVATE_S3_BUCKET"),
    ],
)
def test_a_malformed_production_variable_is_refused_naming_it(tmp_path, name, value, message):
    result = run(["-c", "import django; django.setup()"], tmp_path, DEBUG="0", **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_proxy_header_reads_raw_meta_names_too():
    assert environment.proxy_ssl_header({"SECURE_PROXY_SSL_HEADER": "HTTP_X_SCHEME=https"}) == (
        "HTTP_X_SCHEME",
        "https",
    )
    assert environment.proxy_ssl_header({}) is None
    with pytest.raises(ImproperlyConfigured):
        environment.proxy_ssl_header({"SECURE_PROXY_SSL_HEADER": "=https"})


@pytest.mark.django_db
def test_behind_the_proxy_https_requests_pass_and_plain_http_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000

    secure = client.get("/", headers={"x-forwarded-proto": "https"})
    plain = client.get("/")
    health = client.get("/healthz")

    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert health.status_code == 200  # load balancers probe over plain HTTP


# --- Content-Security-Policy ----------------------------------------------------------------

TEMPLATES_DIR = BASE_DIR / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)


def policy_of(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_pages_carry_a_policy_that_forbids_inline_scripts(client):
    response = client.get(reverse("directory:search"))

    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_url(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]
    assert not INLINE_SCRIPT.search(response.content.decode())
    script = client.get(reverse("api-docs") + "?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_no_template_has_inline_script_style_or_event_handler():
    offenders = []
    for template in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE, STYLE_BLOCK):
            if pattern.search(text):
                offenders.append(f"{template.relative_to(BASE_DIR)}: {pattern.pattern}")
    assert offenders == []
