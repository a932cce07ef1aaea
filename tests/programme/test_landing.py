"""Signing in without a page to return to lands each role where its work is (issue 18): a
student is never told "You manage no enterprise yet"."""

import pytest

from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's


def _signed_in(client, user, **query):
    """The portal's login form posted without `next`, followed to where it lands."""
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    return response


def test_an_official_lands_on_their_to_do_list(client, official):
    response = _signed_in(client, official)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Waiting for you" in response.text


def test_an_anchor_firm_lands_on_its_local_content_ratio(client, anchor):
    response = _signed_in(client, anchor.owner)
    assert response.redirect_chain[-1][0] == f"/directory/mine/{anchor.uscc}/lcr/"


def test_an_sme_lands_on_its_listing_which_links_its_applications(client, sme):
    response = _signed_in(client, sme.owner)
    assert response.redirect_chain[-1][0] == f"/directory/mine/{sme.uscc}/"
    assert 'href="/support/applications/"' in response.text


def test_a_university_lands_on_its_programmes_and_students(client):
    university = UniversityFactory()
    staff = UserFactory(username="registrar")
    MembershipFactory(user=staff, enterprise=university, role="owner")
    response = _signed_in(client, staff)
    assert response.redirect_chain[-1][0] == f"/talent/universities/{university.uscc}/"


def test_a_student_lands_on_the_scholarships_never_on_my_enterprises(client):
    student = StudentFactory(user=UserFactory(username="student"))
    response = _signed_in(client, student.user)
    assert response.redirect_chain[-1][0] == "/talent/scholarships/"
    assert "You manage no enterprise yet" not in response.text


def test_someone_with_no_role_lands_on_my_enterprises_told_what_to_do(client):
    response = _signed_in(client, UserFactory())
    assert response.redirect_chain[-1][0] == "/directory/mine/"
    assert "Register an enterprise" in response.text
    assert 'href="/talent/scholarships/"' in response.text


def test_a_member_of_two_anchor_firms_chooses_among_them(client, anchor):
    MembershipFactory(user=anchor.owner, enterprise=EnterpriseFactory(kind="anchor"))
    response = _signed_in(client, anchor.owner)
    assert response.redirect_chain[-1][0] == "/directory/mine/"


def test_a_next_page_still_wins(client, sme):
    response = client.post(
        "/accounts/login/?next=/directory/",
        {"username": sme.owner.username, "password": PASSWORD, "next": "/directory/"},
    )
    assert response["Location"] == "/directory/"


def test_the_landing_asks_a_stranger_to_sign_in(client):
    response = client.get("/accounts/start/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
