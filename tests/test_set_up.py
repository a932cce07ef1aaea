"""Setting up (issue 18): `make run` takes a port and prints the demo logins last, the student's
included; the README says what the programme is without pointing outside the repository."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from directory.demo.users import DEMO_PASSWORD
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def make_dry_run(*arguments: str) -> list[str]:
    """The commands `make` would run, not run."""
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    done = subprocess.run(
        ["make", "-n", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_make_run_serves_on_the_port_asked_for():
    commands = make_dry_run("run", "PORT=8001")

    assert any(line.endswith("runserver 127.0.0.1:8001") for line in commands), commands
    assert any("SITE_URL=${SITE_URL:-http://127.0.0.1:8001}" in line for line in commands)


def test_make_run_serves_on_8000_by_default():
    assert any(line.endswith("runserver 127.0.0.1:8000") for line in make_dry_run("run"))


def test_make_run_prints_the_logins_after_every_seeding_command():
    commands = make_dry_run("run")
    seeding = [i for i, line in enumerate(commands) if re.search(r"manage\.py seed_\w+", line)]
    printing = [i for i, line in enumerate(commands) if "manage.py demo_logins" in line]

    delivering = [i for i, line in enumerate(commands) if "task_worker --batch" in line]

    assert seeding and printing and delivering
    assert printing[0] > max(seeding)
    # The seeding's e-mails go through the task queue: delivered before the logins print.
    assert max(seeding) < delivering[0] < printing[0]


@pytest.mark.django_db
def test_the_demo_logins_that_exist_are_printed_with_the_student():
    for username in ("official", "anchor", "sme", "student"):
        UserFactory(username=username)
    out = io.StringIO()

    call_command("demo_logins", url="http://127.0.0.1:8001/", stdout=out)

    text = out.getvalue()
    assert "Demo logins at http://127.0.0.1:8001/" in text
    for username in ("official", "anchor", "sme", "student"):
        assert f"{username} / {DEMO_PASSWORD}" in text
    # Not made here: not offered.
    assert "official2 /" not in text and "admin /" not in text


def test_the_readme_says_what_the_programme_is_itself():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "../shared" not in readme
    assert "## The programme it serves" in readme
    for measure in ("R&D special fund", "Procurement Recommendation Directory", "talent plan"):
        assert measure in readme
