"""Account flows on the pages: sign-up with an enterprise, confirmation, invitations,
members, log-in and password reset."""

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from directory.models import (
    District,
    Enterprise,
    Invitation,
    ListingStatus,
    Membership,
    MembershipRole,
    SupplyCategory,
)
from directory.services.members import invitation_token_make
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Solid-state 2025 cathode"
SIGNUP = reverse("signup")


def signup_data(**overrides) -> dict:
    data = {
        "account-username": "newsme",
        "account-email": "founder@newsme.example",
        "account-password": PASSWORD,
        "account-password_confirm": PASSWORD,
        "uscc": make_uscc(900001),
        "name_zh": "新锂材料有限公司",
        "name_en": "Xinli Materials Co., Ltd.",
        "kind": "sme",
        "district": District.objects.get(code="donghu").pk,
        "address": "东湖区创新路8号",
        "contact_person": "李工",
        "phone": "0571-12345678",
        "email": "sales@newsme.example",
        "employees": "35",
        "annual_capacity": "120",
        "capacity_unit": "t",
        "website": "https://newsme.example",
        "categories": [SupplyCategory.objects.get(slug="sulfide-electrolyte").pk],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_in(message, route: str) -> str:
    """The site-relative path of the link an email carries, e.g. /accounts/activate/…/."""
    match = re.search(rf"https?://[^/\s]+(/accounts/{route}/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# --- sign-up -------------------------------------------------------------------------------


def test_signup_email_activate_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("signup_done")
    done = client.get(response["Location"])
    assert "Check your email" in done.content.decode()
    assert "founder@newsme.example" in done.content.decode()

    user = User.objects.get(username="newsme")
    assert not user.is_active
    enterprise = Enterprise.objects.get(uscc=make_uscc(900001))
    assert enterprise.status == ListingStatus.PENDING
    assert enterprise.address == "东湖区创新路8号"
    assert [c.slug for c in enterprise.categories.all()] == ["sulfide-electrolyte"]
    assert Membership.objects.get(user=user, enterprise=enterprise).role == MembershipRole.OWNER

    # Not active yet: the login form refuses the account.
    login = {"username": "newsme", "password": PASSWORD}
    assert client.post(reverse("login"), login).status_code == 200

    (message,) = mail.outbox
    assert message.to == ["founder@newsme.example"]
    activated = client.get(link_in(message, "activate"))
    assert activated.status_code == 200
    assert f'href="{reverse("login")}"' in activated.content.decode()
    user.refresh_from_db()
    assert user.is_active

    # Signed in, the SME's founder lands on its listing (issue 18: where an SME's work is).
    response = client.post(reverse("login"), login, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "directory:my_enterprise", args=[enterprise.uscc]
    )
    mine = response.content.decode()
    assert "新锂材料有限公司" in mine
    assert "Pending verification" in mine


@pytest.mark.parametrize(
    "uscc, message",
    [
        # The check digit of 913301000000009001's body is not "0".
        (make_uscc(900001)[:17] + "0", "The check digit is wrong"),
        ("91330100000000I00X", "Character 15 (“I”) is not allowed"),
        ("9133010000", "exactly 18 characters long; 10 given"),
    ],
)
def test_signup_shows_a_bad_uscc_on_its_field(client, uscc, message):
    expected = make_uscc(900001)
    assert uscc != expected

    response = client.post(SIGNUP, signup_data(uscc=uscc))

    assert response.status_code == 200
    errors = response.context["enterprise_form"].errors
    assert list(errors) == ["uscc"]
    assert message in errors["uscc"][0]
    assert 'id="id_uscc_error"' in response.content.decode()
    assert not User.objects.filter(username="newsme").exists()
    assert not mail.outbox


def test_signup_names_the_expected_check_character(client):
    valid = make_uscc(900001)
    wrong = valid[:17] + ("1" if valid[17] != "1" else "2")

    response = client.post(SIGNUP, signup_data(uscc=wrong))

    assert f"should be “{valid[17]}”" in response.context["enterprise_form"].errors["uscc"][0]


def test_signup_accepts_a_code_pasted_with_spaces_and_lower_case(client):
    code = make_uscc(900002)
    pasted = f" {code[:6]} {code[6:]} ".lower()

    response = client.post(SIGNUP, signup_data(uscc=pasted))

    assert response.status_code == 302
    assert Enterprise.objects.filter(uscc=code).exists()


def test_signup_refuses_a_registered_uscc(client):
    EnterpriseFactory(uscc=make_uscc(900001))

    response = client.post(SIGNUP, signup_data())

    errors = response.context["enterprise_form"].errors["uscc"]
    assert "registered on the portal already" in errors[0]
    assert not User.objects.filter(username="newsme").exists()


@pytest.mark.parametrize(
    "password, message",
    [
        ("12345678901", "entirely numeric"),
        ("short", "too short"),
        ("password123", "too common"),
    ],
)
def test_signup_refuses_a_weak_password(client, password, message):
    response = client.post(
        SIGNUP,
        signup_data(**{"account-password": password, "account-password_confirm": password}),
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["account_form"].errors["password"])
    assert 'id="id_account-password_error"' in response.content.decode()
    assert not User.objects.filter(username="newsme").exists()
    assert not Enterprise.objects.exists()


def test_signup_reports_account_and_enterprise_problems_together(client):
    UserFactory(username="newsme")

    response = client.post(SIGNUP, signup_data(name_zh="", **{"account-password_confirm": "x"}))

    assert (
        "The two passwords differ." in response.context["account_form"].errors["password_confirm"]
    )
    assert response.context["enterprise_form"].errors["name_zh"]


def test_signup_refuses_a_taken_username_or_email(client):
    UserFactory(username="NewSME", email="founder@newsme.example")

    response = client.post(SIGNUP, signup_data())

    errors = response.context["account_form"].errors
    assert errors["username"] == ["This username is taken."]
    assert errors["email"] == ["An account with this email address exists already."]
    assert not Enterprise.objects.exists()


def test_signup_asks_for_the_unit_of_a_capacity(client):
    response = client.post(SIGNUP, signup_data(capacity_unit=""))

    assert response.context["enterprise_form"].errors["capacity_unit"]


def test_logged_in_users_register_from_their_own_page(client):
    client.force_login(UserFactory())

    response = client.get(SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:register")


@pytest.mark.parametrize("token", ["not-a-token", "eyJ1c2VyIjoxfQ:1tAAAA:forged"])
def test_a_bad_activation_link_answers_400_with_an_explanation(client, token):
    response = client.get(reverse("account_activate", args=[token]))

    assert response.status_code == 400
    assert "This confirmation link is not valid." in response.content.decode()


def test_an_expired_activation_link_answers_400(
    client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP, signup_data())
    settings.ACCOUNT_ACTIVATION_DAYS = -1

    response = client.get(link_in(mail.outbox[0], "activate"))

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.get(username="newsme").is_active


def test_logged_in_user_registers_another_enterprise(client, sme):
    client.force_login(sme.owner)
    data = {k: v for k, v in signup_data().items() if not k.startswith("account-")}

    response = client.post(reverse("directory:register"), data)

    enterprise = Enterprise.objects.get(uscc=make_uscc(900001))
    assert response["Location"] == reverse("directory:my_enterprise", args=[enterprise.uscc])
    assert enterprise.status == ListingStatus.PENDING
    assert Membership.objects.get(enterprise=enterprise).user == sme.owner
    mine = client.get(reverse("directory:my_enterprises")).content.decode()
    assert sme.name_zh in mine and enterprise.name_zh in mine


# --- invitations and members ---------------------------------------------------------------


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """Post the invitation form and deliver the email once the transaction commits."""

    def post(enterprise, email="colleague@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("directory:member_invite", args=[enterprise.uscc]), {"invite-email": email}
            )

    return post


def test_invitation_from_email_to_membership_and_removal(client, sme, invite):
    client.force_login(sme.owner)
    response = invite(sme)
    assert response["Location"] == reverse("directory:my_enterprise", args=[sme.uscc]) + "#members"
    page = client.get(reverse("directory:my_enterprise", args=[sme.uscc])).content.decode()
    assert "colleague@example.com" in page  # listed as an open invitation
    (message,) = mail.outbox
    assert message.to == ["colleague@example.com"]
    accept_url = link_in(message, "invitation")

    # The colleague has no account: the page offers to create one, or to log in first.
    client.logout()
    page = client.get(accept_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert sme.name_zh in html
    login_first = re.search(r'href="(/accounts/login/\?next=[^"]+)"', html).group(1)
    assert unquote(login_first.split("next=")[1]) == accept_url

    mismatch = client.post(
        accept_url, {"username": "colleague", "password": PASSWORD, "password_confirm": "other"}
    )
    assert "The two passwords differ." in mismatch.content.decode()
    weak = client.post(
        accept_url, {"username": "colleague", "password": "123", "password_confirm": "123"}
    )
    assert weak.context["form"].errors["password"]

    response = client.post(
        accept_url, {"username": "colleague", "password": PASSWORD, "password_confirm": PASSWORD}
    )
    assert response["Location"] == reverse("directory:my_enterprise", args=[sme.uscc])
    colleague = User.objects.get(username="colleague")
    assert colleague.email == "colleague@example.com"
    membership = Membership.objects.get(user=colleague, enterprise=sme)
    assert membership.role == MembershipRole.MEMBER
    # Logged in as the new member.
    assert client.get(response["Location"]).status_code == 200
    # The link is used up.
    assert client.get(accept_url).status_code == 400

    # The administrator removes the colleague through a confirmation page.
    client.force_login(sme.owner)
    remove_url = reverse("directory:member_remove", args=[sme.uscc, membership.pk])
    confirm = client.get(remove_url)
    assert "colleague" in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(remove_url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_logged_in_user_accepts_with_a_button(client, sme, anchor):
    invitation = Invitation.objects.create(
        enterprise=sme, email=anchor.owner.email, invited_by=sme.owner
    )
    url = reverse("invitation_accept", args=[invitation_token_make(invitation)])
    client.force_login(anchor.owner)

    page = client.get(url)
    assert "Accept the invitation" in page.content.decode()
    assert page.context["form"] is None
    assert not Membership.objects.filter(user=anchor.owner, enterprise=sme).exists()

    response = client.post(url)

    assert response.status_code == 302
    assert Membership.objects.filter(user=anchor.owner, enterprise=sme).exists()


def test_accepting_twice_as_a_member_shows_the_error(client, sme):
    invitation = Invitation.objects.create(
        enterprise=sme, email="again@example.com", invited_by=sme.owner
    )
    client.force_login(sme.owner)

    response = client.post(reverse("invitation_accept", args=[invitation_token_make(invitation)]))

    assert response.status_code == 400
    assert "already" in response.content.decode()


def test_a_bad_or_withdrawn_invitation_answers_400(client, sme, invite):
    assert client.get(reverse("invitation_accept", args=["forged"])).status_code == 400

    client.force_login(sme.owner)
    invite(sme)
    invitation = Invitation.objects.get()
    client.post(reverse("directory:invitation_revoke", args=[sme.uscc, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    client.logout()
    response = client.get(link_in(mail.outbox[0], "invitation"))
    assert response.status_code == 400
    assert "used or withdrawn" in response.content.decode()


def test_inviting_a_member_again_shows_the_error_on_the_field(client, sme, invite):
    client.force_login(sme.owner)

    response = invite(sme, email=sme.owner.email)

    assert response.status_code == 200
    assert "is a member already" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()


def test_the_last_administrator_cannot_be_removed(client, sme):
    client.force_login(sme.owner)
    membership = Membership.objects.get(user=sme.owner, enterprise=sme)

    response = client.post(
        reverse("directory:member_remove", args=[sme.uscc, membership.pk]), follow=True
    )

    assert "at least one administrator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_may_leave_when_another_remains(client, sme):
    other_owner = MembershipFactory(enterprise=sme, role="owner").user
    client.force_login(sme.owner)
    own = Membership.objects.get(user=sme.owner, enterprise=sme)

    response = client.post(reverse("directory:member_remove", args=[sme.uscc, own.pk]))

    assert response["Location"] == reverse("directory:my_enterprises")
    assert list(sme.memberships.values_list("user", flat=True)) == [other_owner.pk]


def test_a_member_who_is_not_administrator_cannot_invite_or_remove(client, sme, invite):
    member = MembershipFactory(enterprise=sme, role="member").user
    owner_membership = Membership.objects.get(user=sme.owner, enterprise=sme)
    client.force_login(member)

    page = client.get(reverse("directory:my_enterprise", args=[sme.uscc])).content.decode()
    assert reverse("directory:member_invite", args=[sme.uscc]) not in page
    assert invite(sme).status_code == 403
    assert client.get(reverse("directory:member_invite", args=[sme.uscc])).status_code == 403
    remove_url = reverse("directory:member_remove", args=[sme.uscc, owner_membership.pk])
    assert client.get(remove_url).status_code == 403
    assert client.post(remove_url).status_code == 403

    assert not Invitation.objects.exists()
    assert Membership.objects.filter(pk=owner_membership.pk).exists()
    assert not mail.outbox


# --- log-in, log-out, passwords ------------------------------------------------------------


def test_login_page_links_to_password_reset_and_signup(client):
    html = client.get(reverse("login")).content.decode()

    assert reverse("password_reset") in html
    assert SIGNUP in html


def test_logout_is_a_post_and_returns_home(client, sme):
    client.force_login(sme.owner)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, sme):
    sme.owner.email = "owner@sme.example"
    sme.owner.save()

    response = client.post(reverse("password_reset"), {"email": "owner@sme.example"}, follow=True)

    assert "Check your email" in response.content.decode()
    (message,) = mail.outbox
    assert message.subject == "Reset your SSB Portal password"
    assert "sme-owner" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert "Your new password is set" in done.content.decode()
    login = client.post(reverse("login"), {"username": "sme-owner", "password": PASSWORD})
    assert login.status_code == 302


def test_password_change(client, sme):
    client.force_login(sme.owner)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
        follow=True,
    )

    assert "Your password is changed" in response.content.decode()
    sme.owner.refresh_from_db()
    assert sme.owner.check_password(PASSWORD)
