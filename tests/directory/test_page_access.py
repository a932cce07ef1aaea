"""Members' pages: who may open them, and what editing a listing does to what the public sees.

Another organisation's users get 404 for every page and every POST of an enterprise that is
not theirs, and nothing changes; anonymous visitors are sent to log in.
"""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from directory.models import (
    Certification,
    Enterprise,
    Invitation,
    ListingStatus,
    Membership,
    Product,
    StatusChange,
    SupplyCategory,
)
from directory.services.enterprises import enterprise_return
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(sme):
    """The SME with a product, a certificate, a second member and an open invitation."""
    sme.product = ProductFactory(enterprise=sme, name="Li6PS5Cl", ionic_conductivity=0.01)
    sme.certification = CertificationFactory(enterprise=sme)
    sme.colleague = MembershipFactory(enterprise=sme, role="member")
    sme.invitation = Invitation.objects.create(
        enterprise=sme, email="new@example.com", invited_by=sme.owner
    )
    return sme


def member_requests(enterprise) -> dict[str, tuple[str, str, dict]]:
    uscc = enterprise.uscc
    product = enterprise.product.pk
    return {
        "open the page": ("get", reverse("directory:my_enterprise", args=[uscc]), {}),
        "edit the profile": (
            "post",
            reverse("directory:my_enterprise", args=[uscc]),
            {"profile-name_zh": "被篡改", "profile-kind": "sme", "profile-district": "1"},
        ),
        "open the product form": ("get", reverse("directory:product_add", args=[uscc]), {}),
        "add a product": (
            "post",
            reverse("directory:product_add", args=[uscc]),
            {"name": "X", "category": SupplyCategory.objects.get(slug="anode").pk},
        ),
        "open a product": (
            "get",
            reverse("directory:product_edit", args=[uscc, product]),
            {},
        ),
        "edit a product": (
            "post",
            reverse("directory:product_edit", args=[uscc, product]),
            {"name": "Hijacked", "category": enterprise.product.category_id},
        ),
        "confirm a product removal": (
            "get",
            reverse("directory:product_delete", args=[uscc, product]),
            {},
        ),
        "remove a product": (
            "post",
            reverse("directory:product_delete", args=[uscc, product]),
            {},
        ),
        "add a certificate": (
            "post",
            reverse("directory:certification_add", args=[uscc]),
            {
                "certification-scheme": "ISO 9001",
                "certification-number": "FAKE",
                "certification-valid_until": "2099-01-01",
            },
        ),
        "confirm a certificate removal": (
            "get",
            reverse("directory:certification_delete", args=[uscc, enterprise.certification.pk]),
            {},
        ),
        "remove a certificate": (
            "post",
            reverse("directory:certification_delete", args=[uscc, enterprise.certification.pk]),
            {},
        ),
        "open the invitation form": (
            "get",
            reverse("directory:member_invite", args=[uscc]),
            {},
        ),
        "invite": (
            "post",
            reverse("directory:member_invite", args=[uscc]),
            {"invite-email": "spy@example.com"},
        ),
        "withdraw an invitation": (
            "post",
            reverse("directory:invitation_revoke", args=[uscc, enterprise.invitation.pk]),
            {},
        ),
        "confirm a member removal": (
            "get",
            reverse("directory:member_remove", args=[uscc, enterprise.colleague.pk]),
            {},
        ),
        "remove a member": (
            "post",
            reverse("directory:member_remove", args=[uscc, enterprise.colleague.pk]),
            {},
        ),
    }


ACTIONS = [
    "open the page",
    "edit the profile",
    "open the product form",
    "add a product",
    "open a product",
    "edit a product",
    "confirm a product removal",
    "remove a product",
    "add a certificate",
    "confirm a certificate removal",
    "remove a certificate",
    "open the invitation form",
    "invite",
    "withdraw an invitation",
    "confirm a member removal",
    "remove a member",
]


def snapshot(enterprise) -> dict:
    """Everything a member's page could change about an enterprise."""
    return {
        "enterprise": model_to_dict(Enterprise.objects.get(pk=enterprise.pk)),
        "products": [model_to_dict(p) for p in Product.objects.filter(enterprise=enterprise)],
        "certifications": [
            model_to_dict(c) for c in Certification.objects.filter(enterprise=enterprise)
        ],
        "members": list(Membership.objects.filter(enterprise=enterprise).values()),
        "invitations": list(Invitation.objects.filter(enterprise=enterprise).values()),
        "history": StatusChange.objects.filter(enterprise=enterprise).count(),
    }


def test_every_member_action_is_checked(target):
    assert sorted(member_requests(target)) == sorted(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_another_organisations_user_gets_404_and_nothing_changes(client, target, anchor, action):
    method, url, data = member_requests(target)[action]
    before = snapshot(target)
    client.force_login(anchor.owner)

    response = getattr(client, method)(url, data)

    assert response.status_code == 404
    assert snapshot(target) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_an_official_is_no_member_either(client, target, official, action):
    """Officials work in the admin; the members' pages are not theirs."""
    method, url, data = member_requests(target)[action]
    before = snapshot(target)
    client.force_login(official)

    assert getattr(client, method)(url, data).status_code == 404
    assert snapshot(target) == before


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_visitors_are_sent_to_log_in(client, target, action):
    method, url, data = member_requests(target)[action]
    before = snapshot(target)

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert snapshot(target) == before


def test_my_enterprises_lists_only_the_users_own(client, sme, anchor):
    client.force_login(sme.owner)

    html = client.get(reverse("directory:my_enterprises")).content.decode()

    assert sme.name_zh in html
    assert anchor.name_zh not in html


def test_my_enterprise_shows_status_products_certificates_members_and_history(client, target):
    client.force_login(target.owner)

    response = client.get(reverse("directory:my_enterprise", args=[target.uscc]))

    html = response.content.decode()
    assert "Verified and listed" in html
    assert "Li6PS5Cl" in html
    assert target.certification.number in html
    assert target.colleague.user.username in html
    assert "new@example.com" in html  # an open invitation, with a withdraw button
    assert reverse("directory:invitation_revoke", args=[target.uscc, target.invitation.pk]) in html
    assert reverse("directory:member_invite", args=[target.uscc]) in html


# --- profile -------------------------------------------------------------------------------


def profile_data(enterprise, **changes) -> dict:
    data = {
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "kind": enterprise.kind,
        "district": enterprise.district_id,
        "address": enterprise.address,
        "contact_person": enterprise.contact_person,
        "phone": enterprise.phone,
        "email": enterprise.email,
        "employees": enterprise.employees or "",
        "annual_capacity": enterprise.annual_capacity or "",
        "capacity_unit": enterprise.capacity_unit,
        "website": enterprise.website,
        "categories": [c.pk for c in enterprise.categories.all()],
    }
    data.update(changes)
    return {f"profile-{name}": value for name, value in data.items()}


def test_editing_a_verified_profile_waits_for_verification(client, sme):
    client.force_login(sme.owner)
    url = reverse("directory:my_enterprise", args=[sme.uscc])
    old_name = sme.name_zh

    response = client.post(url, profile_data(sme, name_zh="新名称材料有限公司"), follow=True)

    html = response.content.decode()
    assert "Your changes wait for verification" in html
    assert "Changes awaiting verification" in html
    assert "新名称材料有限公司" in html  # in the pending list and the form
    sme.refresh_from_db()
    assert sme.name_zh == old_name
    assert sme.pending_changes == {"name_zh": "新名称材料有限公司"}
    public = client.get(reverse("directory:detail", args=[sme.uscc])).content.decode()
    assert old_name in public
    assert "新名称材料有限公司" not in public


def test_saving_an_unchanged_profile_changes_nothing(client, sme):
    client.force_login(sme.owner)

    response = client.post(
        reverse("directory:my_enterprise", args=[sme.uscc]), profile_data(sme), follow=True
    )

    assert "Nothing changed." in response.content.decode()
    sme.refresh_from_db()
    assert sme.pending_changes is None


def test_correcting_a_returned_enterprise_sends_it_back_to_pending(client, sme, official):
    sme.status = ListingStatus.PENDING
    sme.save()
    enterprise_return(actor=official, enterprise=sme, reason="地址不完整，请补充门牌号。")
    client.force_login(sme.owner)
    url = reverse("directory:my_enterprise", args=[sme.uscc])

    page = client.get(url).content.decode()
    assert "Returned for correction" in page
    assert "地址不完整，请补充门牌号。" in page

    response = client.post(url, profile_data(sme, address="东湖区创业路12号"), follow=True)

    assert "sent back to the officials" in response.content.decode()
    sme.refresh_from_db()
    assert sme.status == ListingStatus.PENDING
    assert sme.address == "东湖区创业路12号"
    latest = sme.status_changes.first()
    assert (latest.from_status, latest.to_status) == (ListingStatus.RETURNED, ListingStatus.PENDING)
    assert "Awaiting verification" in response.content.decode()


def test_profile_errors_are_shown_on_the_fields(client, sme):
    client.force_login(sme.owner)

    response = client.post(
        reverse("directory:my_enterprise", args=[sme.uscc]),
        profile_data(sme, name_zh="", website="not a url", annual_capacity="-5"),
    )

    assert response.status_code == 200
    errors = response.context["profile_form"].errors
    assert set(errors) == {"name_zh", "website", "annual_capacity"}
    assert 'id="id_profile-website_error"' in response.content.decode()
    sme.refresh_from_db()
    assert sme.pending_changes is None


def test_history_shows_who_when_from_to_and_why(client, sme, official):
    sme.status = ListingStatus.PENDING
    sme.save()
    enterprise_return(actor=official, enterprise=sme, reason="营业执照模糊")
    client.force_login(sme.owner)

    html = client.get(reverse("directory:my_enterprise", args=[sme.uscc])).content.decode()

    history = html[html.index('id="history-heading"') :]
    assert "official" in history
    assert "Pending verification" in history and "Returned for correction" in history
    assert "营业执照模糊" in history


# --- products and certificates -------------------------------------------------------------


def test_a_new_product_is_pending_and_not_public(client, sme):
    client.force_login(sme.owner)
    category = SupplyCategory.objects.get(slug="sulfide-electrolyte")

    response = client.post(
        reverse("directory:product_add", args=[sme.uscc]),
        {"name": "Li7P3S11 glass", "category": category.pk, "ionic_conductivity": "0.017"},
        follow=True,
    )

    assert "once an official verifies it" in response.content.decode()
    product = Product.objects.get(name="Li7P3S11 glass")
    assert product.status == ListingStatus.PENDING
    assert product.ionic_conductivity == 0.017
    public = client.get(reverse("directory:detail", args=[sme.uscc])).content.decode()
    assert "Li7P3S11 glass" not in public


def test_product_specs_out_of_range_are_shown_on_the_fields(client, sme):
    client.force_login(sme.owner)
    category = SupplyCategory.objects.get(slug="sulfide-electrolyte")

    response = client.post(
        reverse("directory:product_add", args=[sme.uscc]),
        {"name": "Bad", "category": category.pk, "decay_rate": "150", "asr": "-1"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"decay_rate", "asr"}
    assert not Product.objects.filter(name="Bad").exists()


def test_editing_a_verified_product_waits_for_verification(client, target):
    client.force_login(target.owner)
    url = reverse("directory:product_edit", args=[target.uscc, target.product.pk])
    data = {"name": "Li6PS5Cl", "category": target.product.category_id}

    response = client.post(url, {**data, "ionic_conductivity": "0.02"}, follow=True)

    assert "wait for verification" in response.content.decode()
    target.product.refresh_from_db()
    assert target.product.ionic_conductivity == 0.01
    assert target.product.pending_changes == {"ionic_conductivity": 0.02}
    # The form shows the submitted value, the public page the verified one.
    assert 'value="0.02"' in client.get(url).content.decode()
    public = client.get(reverse("directory:detail", args=[target.uscc])).content.decode()
    assert "0.01" in public and "0.02" not in public


def test_a_product_is_removed_only_after_confirmation(client, target):
    client.force_login(target.owner)
    url = reverse("directory:product_delete", args=[target.uscc, target.product.pk])

    confirm = client.get(url)
    assert "Li6PS5Cl" in confirm.content.decode()
    assert 'method="post"' in confirm.content.decode()
    assert Product.objects.filter(pk=target.product.pk).exists()

    client.post(url)
    assert not Product.objects.filter(pk=target.product.pk).exists()


def test_certificates_are_added_and_removed(client, target):
    client.force_login(target.owner)

    response = client.post(
        reverse("directory:certification_add", args=[target.uscc]),
        {
            "certification-scheme": "IATF 16949",
            "certification-number": "IATF-0042",
            "certification-issuer": "中国质量认证中心",
            "certification-valid_until": "2030-06-30",
        },
        follow=True,
    )
    assert "IATF-0042" in response.content.decode()
    added = Certification.objects.get(number="IATF-0042")

    duplicate = client.post(
        reverse("directory:certification_add", args=[target.uscc]),
        {
            "certification-scheme": "IATF 16949",
            "certification-number": "IATF-0042",
            "certification-valid_until": "2031-06-30",
        },
    )
    assert duplicate.status_code == 200
    assert duplicate.context["form"].non_field_errors()

    delete_url = reverse("directory:certification_delete", args=[target.uscc, added.pk])
    assert client.get(delete_url).status_code == 200
    client.post(delete_url)
    assert not Certification.objects.filter(pk=added.pk).exists()


def test_a_member_of_two_enterprises_reaches_each_only_through_its_own_address(client, sme):
    other = EnterpriseFactory()
    product = ProductFactory(enterprise=other)
    MembershipFactory(user=sme.owner, enterprise=other, role="owner")
    client.force_login(sme.owner)

    # The product belongs to the other enterprise: not reachable under this one's address.
    url = reverse("directory:product_edit", args=[sme.uscc, product.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("directory:product_edit", args=[other.uscc, product.pk])).status_code
        == 200
    )


def test_removed_member_loses_access(client, target):
    colleague = target.colleague.user
    client.force_login(target.owner)
    client.post(reverse("directory:member_remove", args=[target.uscc, target.colleague.pk]))

    client.force_login(colleague)

    assert client.get(reverse("directory:my_enterprise", args=[target.uscc])).status_code == 404
