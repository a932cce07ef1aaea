"""The rules of the house kept in the workbench: declared conflicts, support caps, enterprise
groups, and an audit log nobody can edit.
"""

from decimal import Decimal

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse

from directory.models import Enterprise, EnterpriseGroup
from ssb_portal.models import AuditEntry
from subsidies.models import ConflictDeclaration, SupportCap
from tests.admin_support import messages_of
from tests.subsidies.admin_support import AUDIT, change_url

pytestmark = pytest.mark.django_db


# --- rules of the house -------------------------------------------------------------------


def test_an_official_declares_their_own_conflict(official_client, official, sme):
    url = reverse("admin:subsidies_conflictdeclaration_add")
    response = official_client.post(url, {"enterprise": sme.pk, "reason": "Former employer."})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.user, declaration.enterprise) == (official, sme)

    response = official_client.post(url, {"enterprise": sme.pk, "reason": "Again."})
    assert response.status_code == 200
    assert "already declared" in response.content.decode()
    response = official_client.post(url, {"enterprise": sme.pk, "reason": ""})
    assert "reason" in response.context["adminform"].form.errors
    assert ConflictDeclaration.objects.count() == 1


def test_a_support_cap_is_added_through_its_service_and_kept(official_client, official):
    url = reverse("admin:subsidies_supportcap_add")
    data = {"amount_cny": "3000000", "years": "3", "effective_from": "2026-01-01"}
    assert official_client.post(url, data).status_code == 302
    cap = SupportCap.objects.get()
    assert cap.set_by == official
    assert AuditEntry.objects.filter(action="cap_set").exists()
    response = official_client.post(url, {**data, "years": "0"})
    assert "years" in response.context["adminform"].form.errors
    response = official_client.post(change_url(cap), {**data, "amount_cny": "1", "_save": "1"})
    assert response.status_code == 403
    cap.refresh_from_db()
    assert cap.amount_cny == Decimal("3000000.00")


def test_an_enterprise_joins_a_group_on_its_page(official_client, official, anchor, sme):
    group = EnterpriseGroup.objects.create(name="宁德集团")
    page = official_client.get(change_url(anchor)).content.decode()
    url = reverse("admin:directory_enterprise_group", args=[anchor.pk])
    assert url in page
    response = official_client.post(url, {"group": group.pk})
    assert response.status_code == 302
    anchor.refresh_from_db()
    assert anchor.group == group
    change = anchor.status_changes.get()
    assert change.actor == official
    assert change.changes == {"group": {"from": "", "to": "宁德集团"}}
    group_page = official_client.get(change_url(group)).content.decode()
    assert anchor.name_zh in group_page and sme.name_zh not in group_page
    official_client.post(url, {"group": ""})
    assert Enterprise.objects.get(pk=anchor.pk).group is None


# --- the audit log ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official", "superuser"])
def test_audit_entries_cannot_be_added_changed_or_deleted(
    client, official, admin_user, submitted, who
):
    client.force_login(official if who == "official" else admin_user)
    entry = AuditEntry.objects.order_by("sequence").first()
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert "verify_audit_log" in response.content.decode()
    assert "delete_selected" not in response.content.decode()  # no actions at all
    page = client.get(change_url(entry))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url(entry), {"action": "x", "_save": "1"}).status_code == 403
    delete = reverse("admin:ssb_portal_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:ssb_portal_auditentry_add")).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash


def test_the_audit_log_is_searched_by_object_and_verified(official_client, submitted):
    response = official_client.get(AUDIT, {"q": str(submitted.pk)})
    assert {entry.object_id for entry in response.context["cl"].result_list} == {str(submitted.pk)}
    response = official_client.get(reverse("admin:subsidies_auditentry_verify"), follow=True)
    [(level, text)] = messages_of(response)
    assert level == message_levels.SUCCESS and "Audit log intact" in text
