"""The load test's traffic (issue 20, "Load held"): a realistic mix on the scaled demo city.

Most visitors are the public: the home page, directory searches (filters, text, both), an
enterprise's page, the public LCR page and the programme dashboard, and API reads (the
directory list and search, the LCR figures). A few are members: each signs in (the login form,
with its CSRF token), reads its landing page and its enterprise's page, and now and then edits
a product through the API (a PATCH with the session and the CSRF header, which a verified
product keeps as pending changes for an official).

What to open (enterprise codes, the members and their products, the LCR years) comes from the
manifest bench/load/run.py writes after seeding: LOAD_MANIFEST names it. Run through
bench/load/run.py (`make load-test`), which starts the server and reports the figures.
"""

import json
import os
import random
import re
from pathlib import Path

from locust import FastHttpUser, between, task

MANIFEST = Path(os.environ.get("LOAD_MANIFEST", "var/load/manifest.json"))
# Seconds a visitor waits between two requests, drawn between these. The goal (200
# requests/s from 50 users) makes each simulated user a busy client standing for several
# people, not one person reading a page for seconds: by default it waits 0 to 0.5 s.
# LOAD_THINK_TIME="1,3" gives a single reader's pace; members wait twice as long.
THINK_MIN, THINK_MAX = (float(s) for s in os.environ.get("LOAD_THINK_TIME", "0,0.5").split(","))

# Searches people type and tick, as query strings of /directory/ and /api/v1/enterprises/.
SEARCHES = [
    {"q": "固态"},
    {"q": "electrolyte"},
    {"q": "电解质"},
    {"category": "solid-electrolyte"},
    {"category": "sulfide-electrolyte", "ionic_conductivity_min": "0.01"},
    {"recommended": "true", "is_local": "true"},
    {"certification": "IATF 16949"},
    {"district": "hitech"},
    {"q": "cathode", "is_local": "true"},
    {"specific_capacity_min": "300", "decay_rate_max": "0.05"},
]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def load_manifest() -> dict:
    if not MANIFEST.exists():
        return {"enterprises": [], "members": [], "years": []}
    return json.loads(MANIFEST.read_text())


CITY = load_manifest()


class PublicVisitor(FastHttpUser):
    """Someone looking around: pages and API reads, no login."""

    weight = 9
    wait_time = between(THINK_MIN, THINK_MAX)

    @task(3)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(6)
    def directory_search(self):
        self.client.get("/directory/", params=random.choice(SEARCHES), name="/directory/?search")

    @task(4)
    def enterprise_page(self):
        if CITY["enterprises"]:
            uscc = random.choice(CITY["enterprises"])
            self.client.get(f"/directory/e/{uscc}/", name="/directory/e/[uscc]/")

    @task(2)
    def lcr_page(self):
        self.client.get("/directory/lcr/", name="/directory/lcr/")

    @task(2)
    def programme_dashboard(self):
        self.client.get("/programme/", name="/programme/")

    @task(2)
    def api_directory_list(self):
        self.client.get("/api/v1/enterprises/", name="/api/v1/enterprises/")

    @task(4)
    def api_directory_search(self):
        self.client.get(
            "/api/v1/enterprises/",
            params=random.choice(SEARCHES),
            name="/api/v1/enterprises/?search",
        )

    @task(2)
    def api_lcr(self):
        params = {"year": random.choice(CITY["years"])} if CITY["years"] else {}
        if random.random() < 0.5:
            params["group_by"] = random.choice(["category", "quarter"])
        self.client.get("/api/v1/lcr/", params=params, name="/api/v1/lcr/")


class SignedInMember(FastHttpUser):
    """An SME's owner: signs in, reads their pages, edits a product now and then."""

    weight = 1
    wait_time = between(2 * THINK_MIN, 2 * THINK_MAX)

    def on_start(self):
        self.member = random.choice(CITY["members"]) if CITY["members"] else None
        if self.member:
            self.sign_in()

    def sign_in(self):
        form = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF_FIELD.search(form.text or "")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": self.member["username"],
                "password": self.member["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="/accounts/login/ (sign in)",
            catch_response=True,
        ) as response:
            # Signed in, the visitor lands on /accounts/start/; a wrong login stays on the form.
            if "/accounts/login/" in (response.url or ""):
                response.failure("the sign-in did not take")

    def csrf_token(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    @task(4)
    def landing(self):
        if self.member:
            self.client.get("/accounts/start/", name="/accounts/start/")

    @task(2)
    def my_enterprise(self):
        if self.member:
            uscc = self.member["uscc"]
            self.client.get(f"/directory/mine/{uscc}/", name="/directory/mine/[uscc]/")

    @task(1)
    def edit_product(self):
        if not (self.member and self.member["products"]):
            return
        uscc, product = self.member["uscc"], random.choice(self.member["products"])
        self.client.patch(
            f"/api/v1/enterprises/{uscc}/products/{product}/",
            json={"description": f"Load test edit {random.randrange(10**6)}"},
            headers={"X-CSRFToken": self.csrf_token(), "Referer": self.host + "/"},
            name="/api/v1/enterprises/[uscc]/products/[id]/ (edit)",
        )
