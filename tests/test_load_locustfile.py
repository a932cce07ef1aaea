"""The load test's traffic (bench/load/locustfile.py) asks for what issue 20 lists: public
pages, directory searches, enterprise pages, the LCR page and API, the programme dashboard,
API reads, sign-ins with their landing page and an edit now and then, and every address it
asks for exists in the portal. No network: each task runs against a client that records.

Locust patches the standard library (gevent) when imported, so the locustfile is imported in
a child process, never in the test process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

LOAD_DIR = Path(__file__).resolve().parent.parent / "bench" / "load"
USCC = "91320500MA1XXXXX0X"

# Runs every task of every visitor once, against a recording client; prints what was asked.
RUN_TASKS = """
import json, sys
import locustfile
from locust.env import Environment

class Answer:
    text = '<input type="hidden" name="csrfmiddlewaretoken" value="token">'
    url = "http://load.invalid/accounts/start/"
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def failure(self, message): raise AssertionError(message)

class Recorder:
    cookiejar = []
    def __init__(self): self.asked = []
    def request(self, method, path, **kwargs):
        self.asked.append({"method": method, "path": path, "params": kwargs.get("params"),
                           "json": kwargs.get("json"), "data": kwargs.get("data"),
                           "headers": kwargs.get("headers")})
        return Answer()
    def get(self, path, **kwargs): return self.request("GET", path, **kwargs)
    def post(self, path, **kwargs): return self.request("POST", path, **kwargs)
    def patch(self, path, **kwargs): return self.request("PATCH", path, **kwargs)

asked = {}
for visitor in (locustfile.PublicVisitor, locustfile.SignedInMember):
    visitor.host = "http://load.invalid"
    user = visitor(Environment(user_classes=[visitor]))
    user.client = Recorder()
    if hasattr(user, "on_start"):
        user.on_start()
    for task in visitor.tasks:
        task(user)
    asked[visitor.__name__] = user.client.asked
print(json.dumps(asked))
"""


@pytest.fixture(scope="module")
def asked(tmp_path_factory):
    manifest = tmp_path_factory.mktemp("load") / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "enterprises": [USCC],
                "members": [{"username": "m", "password": "p", "uscc": USCC, "products": [7]}],
                "years": [2026],
            }
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", RUN_TASKS],
        cwd=LOAD_DIR,
        env={"LOAD_MANIFEST": str(manifest), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_public_mix_covers_pages_searches_and_api_reads(asked):
    paths = {request["path"] for request in asked["PublicVisitor"]}
    assert paths == {
        "/",
        "/directory/",
        f"/directory/e/{USCC}/",
        "/directory/lcr/",
        "/programme/",
        "/api/v1/enterprises/",
        "/api/v1/lcr/",
    }
    searches = [r["params"] for r in asked["PublicVisitor"] if r["path"] == "/directory/"]
    assert all(searches), "a directory search always asks for something"


def test_a_member_signs_in_reads_their_pages_and_edits_a_product(asked):
    member = asked["SignedInMember"]
    sign_in = next(r for r in member if r["method"] == "POST")
    assert sign_in["path"] == "/accounts/login/"
    assert sign_in["data"] == {"username": "m", "password": "p", "csrfmiddlewaretoken": "token"}
    assert {r["path"] for r in member if r["method"] == "GET"} == {
        "/accounts/login/",
        "/accounts/start/",
        f"/directory/mine/{USCC}/",
    }
    edit = next(r for r in member if r["method"] == "PATCH")
    assert edit["path"] == f"/api/v1/enterprises/{USCC}/products/7/"
    assert set(edit["json"]) == {"description"}
    assert "X-CSRFToken" in edit["headers"]


def test_every_address_asked_exists_in_the_portal(asked):
    for request in asked["PublicVisitor"] + asked["SignedInMember"]:
        try:
            resolve(request["path"])
        except Resolver404:
            pytest.fail(f"{request['method']} {request['path']} is not a portal address")
