"""Shared fixtures: the portal's roles and a small, realistic directory to test against."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from ssb_portal.roles import ANCHOR_GROUP, OFFICIAL_GROUP, SME_GROUP
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
)

# `refusing_store`: the file stores refuse every write (storage-fault tests, issue 20).
pytest_plugins = ["tests.storage_faults"]


def _flushes_the_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


def _flush_past_the_audit_chain_guard() -> None:
    """PostgreSQL refuses TRUNCATE of the audit chain (a statement trigger); the flush that
    ends a transactional test runs with triggers off (replica role; the test user is a
    superuser), as only a database owner could."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.sql_flush
    if getattr(flush, "past_the_audit_guard", False):
        return

    def sql_flush(self, style, tables, **kwargs):
        statements = flush(self, style, tables, **kwargs)
        if not statements:
            return statements
        return ["SET LOCAL session_replication_role = replica", *statements]

    sql_flush.past_the_audit_guard = True
    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config: pytest.Config) -> None:
    _flush_past_the_audit_chain_guard()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run transactional tests after all others.

    They end by emptying every table, the districts, categories and groups loaded by data
    migrations included; a test that ran after them would find none.
    """
    items.sort(key=_flushes_the_database)


@pytest.fixture(autouse=True)
def _fast_hashing_and_console_free_email(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Mail goes through the queue (ssb_portal/outgoing_mail) as in production; its delivery,
    # a task run at once here, puts it in django.core.mail.outbox.
    settings.EMAIL_BACKEND = "ssb_portal.outgoing_mail.backend.QueuedEmailBackend"
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _tasks_run_immediately_and_uploads_kept_apart(settings, tmp_path):
    """Background tasks run at once, in the test's transaction; uploads go to a tmp folder."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def official(db):
    user = UserFactory(username="official", is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICIAL_GROUP))
    return user


@pytest.fixture
def sme(db):
    """An SME with one administrator (`sme.owner`)."""
    enterprise = EnterpriseFactory(kind="sme")
    owner = UserFactory(username="sme-owner")
    owner.groups.add(Group.objects.get(name=SME_GROUP))
    MembershipFactory(user=owner, enterprise=enterprise, role="owner")
    enterprise.owner = owner
    return enterprise


@pytest.fixture
def anchor(db):
    """An anchor enterprise with one administrator (`anchor.owner`)."""
    enterprise = EnterpriseFactory(kind="anchor")
    owner = UserFactory(username="anchor-owner")
    owner.groups.add(Group.objects.get(name=ANCHOR_GROUP))
    MembershipFactory(user=owner, enterprise=enterprise, role="owner")
    enterprise.owner = owner
    return enterprise


@pytest.fixture
def api_client():
    return APIClient()
