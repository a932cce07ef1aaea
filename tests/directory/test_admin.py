"""The officials' workbench in the Django admin.

Officials decide through actions: the action's POST shows a reason form, the form's POST
calls the service once per selected row. Change pages are read-only.
"""

import pytest
from django.contrib.messages import constants as message_levels
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Enterprise, ListingStatus, Product, StatusChange
from directory.services.enterprises import enterprise_update, enterprise_verify, enterprise_withdraw
from directory.services.members import member_invite
from directory.services.products import product_update
from tests.admin_support import act, listed, messages_of
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    outside_district,
)

PENDING = ListingStatus.PENDING
VERIFIED = ListingStatus.VERIFIED
RETURNED = ListingStatus.RETURNED

ENTERPRISES = reverse("admin:directory_enterprise_changelist")
PRODUCTS = reverse("admin:directory_product_changelist")

pytestmark = pytest.mark.django_db


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


def pending_enterprise(**kwargs) -> Enterprise:
    return EnterpriseFactory(status=PENDING, verified_at=None, **kwargs)


# --- access ---------------------------------------------------------------------------------


def test_official_logs_in_and_sees_the_directory(client, official):
    official.set_password("Official password 2026")
    official.save()
    response = client.post(
        reverse("admin:login"),
        {"username": "official", "password": "Official password 2026", "next": "/admin/"},
    )
    assert response.status_code == 302
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert ENTERPRISES.encode() in response.content
    assert PRODUCTS.encode() in response.content
    assert reverse("admin:directory_statuschange_changelist").encode() in response.content


@pytest.mark.parametrize("url", ["/admin/", ENTERPRISES, PRODUCTS])
def test_sme_user_cannot_reach_the_admin(client, sme, url):
    client.force_login(sme.owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_sme_user_cannot_run_an_action(client, sme):
    pending = pending_enterprise()
    client.force_login(sme.owner)
    response = act(client, ENTERPRISES, "verify", [pending], reason="")
    assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
    pending.refresh_from_db()
    assert pending.status == PENDING


# --- the changelist -------------------------------------------------------------------------


@pytest.fixture
def directory_rows(sme, anchor):
    """Enterprises in every state, with categories, products and pending changes."""
    pending = pending_enterprise(name_en="Pending Halide Co.", categories=["halide-electrolyte"])
    returned = EnterpriseFactory(status=RETURNED, verified_at=None)
    outside = EnterpriseFactory(district=outside_district(), name_en="Outside Cathode Co.")
    recommended = EnterpriseFactory(recommended=True, categories=["sulfide-electrolyte"])
    Enterprise.objects.filter(pk=anchor.pk).update(pending_changes={"phone": "027-1"})
    for enterprise in (sme, anchor, pending, outside, recommended):
        ProductFactory(enterprise=enterprise)
    return {
        "sme": sme,
        "anchor": anchor,
        "pending": pending,
        "returned": returned,
        "outside": outside,
        "recommended": recommended,
    }


def test_changelist_shows_the_columns_and_filters(official_client, directory_rows):
    response = official_client.get(ENTERPRISES)
    assert response.status_code == 200
    assert listed(response) == {obj.pk for obj in directory_rows.values()}
    content = response.content.decode()
    for heading in (
        "legal name (Chinese)",
        "Unified social credit code",
        "Kind",
        "Registered district",
        "Status",
        "Recommended",
        "Pending changes",
        "Registered at",
    ):
        assert heading.lower() in content.lower(), heading
    filter_titles = {spec.title for spec in response.context["cl"].filter_specs}
    assert {
        "status",
        "pending changes",
        "recommended",
        "kind",
        "in the municipality",
        "registered district",
        "supply categories",
    } <= {str(title) for title in filter_titles}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "pending"}, {"pending"}),
        ({"status__exact": "returned"}, {"returned"}),
        ({"has_pending_changes": "yes"}, {"anchor"}),
        ({"recommended__exact": "1"}, {"recommended"}),
        ({"district__is_local__exact": "0"}, {"outside"}),
        ({"kind__exact": "anchor"}, {"anchor"}),
        ({"q": "Pending Halide"}, {"pending"}),
        ({"q": "outside cathode"}, {"outside"}),
    ],
)
def test_changelist_filters_and_search(official_client, directory_rows, query, expected):
    response = official_client.get(ENTERPRISES, query)
    assert response.status_code == 200
    assert listed(response) == {directory_rows[name].pk for name in expected}


def test_changelist_filters_by_category(official_client, directory_rows):
    halide = directory_rows["pending"].categories.get()
    response = official_client.get(ENTERPRISES, {"categories__id__exact": halide.pk})
    assert listed(response) == {directory_rows["pending"].pk}


def test_changelist_searches_by_credit_code_and_chinese_name(official_client, directory_rows):
    target = directory_rows["returned"]
    assert listed(official_client.get(ENTERPRISES, {"q": target.uscc})) == {target.pk}
    assert listed(official_client.get(ENTERPRISES, {"q": target.name_zh})) == {target.pk}


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ENTERPRISES)
    assert response.status_code == 200
    return len(queries)


def test_changelist_queries_do_not_grow_with_the_rows(official_client, directory_rows):
    few = changelist_queries(official_client)
    for _ in range(15):
        EnterpriseFactory(categories=["oxide-electrolyte"], pending_changes={"phone": "1"})
    assert changelist_queries(official_client) == few
    # 1 session, 2 user, 3-4 the official's own and group permissions, 5 districts and
    # 6 categories for their filters, 7-8 counts (filtered and total), 9 the page with its
    # districts joined, 10-11 the date hierarchy (range, then days).
    assert few == 11


# --- actions through their reason forms ----------------------------------------------------


def test_action_first_shows_the_reason_form(official_client):
    first, second = pending_enterprise(), pending_enterprise()
    response = act(official_client, ENTERPRISES, "verify", [first, second])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/directory/reason_form.html"
    content = response.content.decode()
    assert first.name_zh in content and second.name_zh in content
    assert 'name="reason"' in content
    first.refresh_from_db()
    assert first.status == PENDING  # nothing happens before the form is sent


@pytest.mark.parametrize(
    ("action", "start", "recommended", "reason", "end", "end_recommended", "to_status"),
    [
        pytest.param("verify", PENDING, False, "Licence checked", VERIFIED, False, VERIFIED,
                     id="verify"),
        pytest.param("verify", PENDING, False, "", VERIFIED, False, VERIFIED,
                     id="verify-without-reason"),
        pytest.param("return_with_reason", PENDING, False, "Licence scan unreadable", RETURNED,
                     False, RETURNED, id="return"),
        pytest.param("withdraw", VERIFIED, True, "Licence revoked", RETURNED, False, RETURNED,
                     id="withdraw"),
        pytest.param("recommend", VERIFIED, False, "Key supplier", VERIFIED, True,
                     "recommended", id="recommend"),
        pytest.param("recommend", VERIFIED, False, "", VERIFIED, True, "recommended",
                     id="recommend-without-reason"),
        pytest.param("unrecommend", VERIFIED, True, "Capacity moved away", VERIFIED, False,
                     "not recommended", id="remove-recommendation"),
    ],
)  # fmt: skip
def test_enterprise_action_through_its_reason_form(
    official_client, official, action, start, recommended, reason, end, end_recommended, to_status
):
    enterprises = [
        EnterpriseFactory(
            status=start,
            recommended=recommended,
            verified_at=None if start == PENDING else timezone.now(),
        )
        for _ in range(2)
    ]

    response = act(official_client, ENTERPRISES, action, enterprises, reason=reason)

    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302
    levels = [level for level, _ in messages_of(response)]
    assert levels == [message_levels.SUCCESS]
    for enterprise in enterprises:
        enterprise.refresh_from_db()
        assert (enterprise.status, enterprise.recommended) == (end, end_recommended)
        change = enterprise.status_changes.get()
        assert (change.actor, change.to_status, change.reason) == (official, to_status, reason)


def test_return_without_reason_shows_the_form_again(official_client):
    enterprise = pending_enterprise()
    response = act(official_client, ENTERPRISES, "return_with_reason", [enterprise], reason=" ")
    assert response.status_code == 200
    assert response.templates[0].name == "admin/directory/reason_form.html"
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert b"errornote" in response.content
    enterprise.refresh_from_db()
    assert enterprise.status == PENDING
    assert not StatusChange.objects.exists()


def test_withdraw_without_reason_shows_the_form_again(official_client, sme):
    response = act(official_client, ENTERPRISES, "withdraw", [sme], reason="")
    assert "reason" in response.context["form"].errors
    sme.refresh_from_db()
    assert sme.status == VERIFIED


def test_refused_row_is_reported_and_the_others_go_through(official_client, sme):
    outside = EnterpriseFactory(district=outside_district(), name_zh="境外正极材料公司")
    pending = pending_enterprise(name_zh="待审核材料公司")

    response = act(official_client, ENTERPRISES, "recommend", [sme, outside, pending], reason="")

    assert response.status_code == 200
    reported = messages_of(response)
    errors = [text for level, text in reported if level == message_levels.ERROR]
    assert len(errors) == 2
    assert any("境外正极材料公司" in text and "not registered in the municipality" in text
               for text in errors)  # fmt: skip
    assert any("待审核材料公司" in text and "not verified" in text for text in errors)
    assert (message_levels.SUCCESS, "1 enterprise recommended.") in reported
    sme.refresh_from_db()
    outside.refresh_from_db()
    assert (sme.recommended, outside.recommended) == (True, False)
    assert StatusChange.objects.filter(enterprise=outside).count() == 0


def test_all_rows_refused_reports_only_errors(official_client, sme):
    response = act(official_client, ENTERPRISES, "verify", [sme], reason="")
    assert [level for level, _ in messages_of(response)] == [message_levels.ERROR]
    assert "nothing to verify" in messages_of(response)[0][1]


def test_verify_accepts_pending_changes_and_return_rejects_them(official_client, sme):
    enterprise_update(actor=sme.owner, enterprise=sme, data={"phone": "027-5555"})
    act(official_client, ENTERPRISES, "verify", [sme], reason="Number confirmed")
    sme.refresh_from_db()
    assert (sme.phone, sme.pending_changes) == ("027-5555", None)

    enterprise_update(actor=sme.owner, enterprise=sme, data={"phone": "027-6666"})
    act(official_client, ENTERPRISES, "return_with_reason", [sme], reason="Unreachable")
    sme.refresh_from_db()
    assert (sme.status, sme.phone, sme.pending_changes) == (VERIFIED, "027-5555", None)


def test_action_keeps_the_changelist_filters(official_client):
    enterprise = pending_enterprise()
    url = f"{ENTERPRISES}?status__exact=pending"
    response = act(official_client, url, "verify", [enterprise], reason="")
    assert response.redirect_chain[0][0] == url
    enterprise.refresh_from_db()
    assert enterprise.status == VERIFIED


def test_officials_are_offered_no_delete_action(official_client):
    response = official_client.get(ENTERPRISES)
    choices = dict(response.context["action_form"].fields["action"].choices)
    assert set(choices) - {""} == {
        "verify",
        "return_with_reason",
        "withdraw",
        "recommend",
        "unrecommend",
    }


# --- the change page ------------------------------------------------------------------------


def test_change_page_shows_pending_changes_history_members_products_certificates(
    official_client, official, sme
):
    enterprise_update(
        actor=sme.owner,
        enterprise=sme,
        data={"phone": "027-9999", "kind": "research_institute"},
    )
    ProductFactory(enterprise=sme, name="Li6PS5Cl powder")
    CertificationFactory(enterprise=sme, number="CN-QMS-2026")
    MembershipFactory(enterprise=sme, user__username="colleague", role="member")

    response = official_client.get(reverse("admin:directory_enterprise_change", args=[sme.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    # The pending changes as current → proposed, with labels rather than codes.
    assert "0571-88888888" in content and "027-9999" in content
    assert "SME" in content and "Research institute" in content
    assert "→" in content
    # The history, members, products and certificates.
    assert "Changes submitted for verification" in content
    assert "sme-owner" in content and "colleague" in content
    assert "Li6PS5Cl powder" in content
    assert "CN-QMS-2026" in content
    # Read-only: no save button, and the decisions that apply are offered.
    assert 'name="_save"' not in content
    assert 'value="verify"' in content and 'value="return_with_reason"' in content


def test_status_cannot_be_changed_by_editing_the_form(official_client, sme):
    url = reverse("admin:directory_enterprise_change", args=[sme.pk])
    response = official_client.post(
        url, {"status": "returned", "recommended": "on", "name_zh": "改名", "_save": "Save"}
    )
    assert response.status_code == 403
    sme.refresh_from_db()
    assert (sme.status, sme.recommended, sme.name_zh) != (RETURNED, True, "改名")
    assert sme.status == VERIFIED and not sme.recommended


@pytest.mark.parametrize(
    "url_name", ["admin:directory_enterprise_add", "admin:directory_product_add"]
)
def test_officials_cannot_add_listings(official_client, url_name):
    assert official_client.get(reverse(url_name)).status_code == 403


def test_officials_cannot_delete_an_enterprise(official_client, sme):
    url = reverse("admin:directory_enterprise_delete", args=[sme.pk])
    assert official_client.post(url, {"post": "yes"}).status_code == 403
    assert Enterprise.objects.filter(pk=sme.pk).exists()


# --- products -------------------------------------------------------------------------------


def test_product_changelist_filters_and_search(official_client, sme):
    pending = ProductFactory(enterprise=sme, status=PENDING, name="Halide powder")
    verified = ProductFactory(enterprise=EnterpriseFactory(), name="Oxide pellets")
    assert listed(official_client.get(PRODUCTS, {"status__exact": "pending"})) == {pending.pk}
    assert listed(official_client.get(PRODUCTS, {"q": "oxide pel"})) == {verified.pk}
    assert listed(official_client.get(PRODUCTS, {"q": sme.uscc})) == {pending.pk}
    assert listed(official_client.get(PRODUCTS, {"q": sme.name_zh})) == {pending.pk}


@pytest.mark.parametrize(
    ("action", "reason", "end"),
    [("verify", "", VERIFIED), ("return_with_reason", "Unit of ASR unclear", RETURNED)],
)
def test_product_action_through_its_reason_form(
    official_client, official, sme, action, reason, end
):
    product = ProductFactory(enterprise=sme, status=PENDING)
    response = act(official_client, PRODUCTS, action, [product], reason=reason)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    product.refresh_from_db()
    assert product.status == end
    change = product.status_changes.get()
    assert (change.actor, change.from_status, change.to_status) == (official, PENDING, end)


def test_product_return_without_reason_shows_the_form_again(official_client, sme):
    product = ProductFactory(enterprise=sme, status=PENDING)
    response = act(official_client, PRODUCTS, "return_with_reason", [product], reason="")
    assert "reason" in response.context["form"].errors
    assert Product.objects.get(pk=product.pk).status == PENDING


def test_product_change_page_shows_the_pending_spec_change(official_client, sme):
    product = ProductFactory(enterprise=sme, ionic_conductivity=0.001)
    product_update(actor=sme.owner, product=product, data={"ionic_conductivity": 0.0025})
    response = official_client.get(reverse("admin:directory_product_change", args=[product.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "0.001" in content and "0.0025" in content


# --- records and reference data ------------------------------------------------------------


def test_status_history_is_listed_filtered_and_searched(official_client, official, sme):
    other = pending_enterprise()
    enterprise_verify(actor=official, enterprise=other, reason="ok")
    enterprise_withdraw(actor=official, enterprise=sme, reason="Licence revoked")
    url = reverse("admin:directory_statuschange_changelist")

    response = official_client.get(url)
    assert response.status_code == 200
    assert "Licence revoked" in response.content.decode()
    returned = official_client.get(url, {"to_status": "returned"})
    assert {change.enterprise_id for change in returned.context["cl"].result_list} == {sme.pk}
    searched = official_client.get(url, {"q": other.uscc})
    assert {change.enterprise_id for change in searched.context["cl"].result_list} == {other.pk}


def test_status_history_cannot_be_edited(official_client, official, sme):
    enterprise_withdraw(actor=official, enterprise=sme, reason="Licence revoked")
    change = StatusChange.objects.get()
    assert official_client.get(reverse("admin:directory_statuschange_add")).status_code == 403
    change_url = reverse("admin:directory_statuschange_change", args=[change.pk])
    assert official_client.get(change_url).status_code == 200  # viewable
    assert official_client.post(change_url, {"reason": "edited"}).status_code == 403
    delete_url = reverse("admin:directory_statuschange_delete", args=[change.pk])
    assert official_client.post(delete_url, {"post": "yes"}).status_code == 403
    change.refresh_from_db()
    assert change.reason == "Licence revoked"


@pytest.mark.parametrize(
    "model", ["certification", "membership", "invitation", "district", "supplycategory"]
)
def test_reference_lists_open_for_officials(official_client, sme, model):
    CertificationFactory(enterprise=sme)
    member_invite(actor=sme.owner, enterprise=sme, email="new@example.com")
    response = official_client.get(reverse(f"admin:directory_{model}_changelist"), {"q": "e"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "enterprise",
        "product",
        "statuschange",
        "certification",
        "membership",
        "invitation",
        "district",
        "supplycategory",
    ],
)
def test_every_list_opens_for_a_superuser(client, admin_user, directory_rows, model):
    client.force_login(admin_user)
    assert client.get(reverse(f"admin:directory_{model}_changelist")).status_code == 200
