"""The API schema tells the truth: real answers, produced with the test client, validated
against the schema the portal publishes for their operation and status (issue 16).

Each test is an answer schemathesis found the schema wrong about.
"""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
)
from tests.schema_support import api_schema, assert_documented

pytestmark = pytest.mark.django_db


def signed_in(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


# --- the body of a 200 -------------------------------------------------------------------


def test_talent_dashboard_is_one_object_as_documented(api_client):
    response = api_client.get("/api/v1/talent/dashboard/")

    assert response.status_code == 200
    assert isinstance(response.json(), dict)
    assert_documented(response, "/api/v1/talent/dashboard/")


def test_an_enterprise_without_capacity_unit_or_website_matches_the_schema(api_client):
    listed = EnterpriseFactory(capacity_unit="", website="", email="")

    listing = api_client.get("/api/v1/enterprises/")
    detail = api_client.get(f"/api/v1/enterprises/{listed.uscc}/")

    assert listing.json()["results"][0]["capacity_unit"] == ""
    assert_documented(listing, "/api/v1/enterprises/")
    assert_documented(detail, "/api/v1/enterprises/{uscc}/")


def test_a_programme_without_rd_material_matches_the_schema(api_client):
    programme = ProgrammeFactory(kind="local_procurement")

    listing = api_client.get("/api/v1/programmes/")
    detail = api_client.get(f"/api/v1/programmes/{programme.pk}/")

    assert detail.json()["rd_material"] == ""
    assert_documented(listing, "/api/v1/programmes/")
    assert_documented(detail, "/api/v1/programmes/{id}/")


def test_an_application_without_scenario_matches_the_schema(api_client, anchor):
    application = ApplicationFactory(applicant=anchor)

    response = signed_in(api_client, anchor.owner).get(f"/api/v1/applications/{application.pk}/")

    assert response.json()["scenario"] == ""
    assert_documented(response, "/api/v1/applications/{id}/")


def test_a_student_without_email_matches_the_schema(api_client):
    university = UniversityFactory()
    registrar = UserFactory(username="registrar")
    MembershipFactory(user=registrar, enterprise=university, role="owner")
    StudentFactory(university=university, email="")

    response = signed_in(api_client, registrar).get("/api/v1/talent/students/")

    assert response.json()["results"][0]["email"] == ""
    assert_documented(response, "/api/v1/talent/students/")


@pytest.mark.parametrize("group_by", ["category", "quarter", "supplier"])
def test_lcr_groups_match_the_schema_for_every_grouping(api_client, anchor, group_by):
    PurchaseLineFactory(buyer=anchor)
    PurchaseLineFactory(buyer=anchor, category=None, supplier=None, supplier_name="外地供应商")

    response = signed_in(api_client, anchor.owner).get(
        "/api/v1/lcr/", {"buyer": anchor.uscc, "group_by": group_by}
    )

    assert response.status_code == 200
    assert response.json()["groups"]
    assert_documented(response, "/api/v1/lcr/")


# --- the error bodies of a 400 -----------------------------------------------------------


def test_purchase_push_errors_match_the_schema(api_client, anchor):
    client = signed_in(api_client, anchor.owner)

    field_errors = client.post(
        "/api/v1/purchases/", {"buyer": anchor.uscc, "lines": []}, format="json"
    )
    row_errors = client.post(
        "/api/v1/purchases/",
        {"buyer": anchor.uscc, "lines": [{"invoice_no": "1", "line_no": "x"}]},
        format="json",
    )

    assert field_errors.status_code == 400 and "lines" in field_errors.json()
    assert row_errors.status_code == 400 and row_errors.json()["errors"]
    assert_documented(field_errors, "/api/v1/purchases/", "post")
    assert_documented(row_errors, "/api/v1/purchases/", "post")


def test_graduate_import_errors_match_the_schema(api_client, official):
    university = UniversityFactory()
    client = signed_in(api_client, official)
    url = "/api/v1/talent/graduates/import/"

    no_rows = client.post(
        url, {"university": university.uscc, "year": 2026, "rows": []}, format="json"
    )
    wrong_row = client.post(
        url,
        {
            "university": university.uscc,
            "year": 2026,
            "rows": [{"student_number": "1", "degree": "nope", "destination": "moon"}],
        },
        format="json",
    )

    assert no_rows.status_code == 400 and isinstance(no_rows.json()["rows"], list)
    assert wrong_row.status_code == 400 and "0" in wrong_row.json()["rows"]
    assert_documented(no_rows, url, "post")
    assert_documented(wrong_row, url, "post")


def test_a_wrong_filter_value_is_a_documented_400(api_client):
    response = api_client.get("/api/v1/programmes/", {"kind": "nonsense"})

    assert response.status_code == 400
    assert_documented(response, "/api/v1/programmes/")


def test_a_body_that_is_no_json_is_a_documented_400(api_client, anchor):
    response = signed_in(api_client, anchor.owner).post(
        "/api/v1/purchases/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert_documented(response, "/api/v1/purchases/", "post")


def test_a_nul_character_in_a_slug_is_a_documented_400_not_a_server_error(api_client, sme):
    # PostgreSQL's driver refuses NUL characters in a query: that was a 500 there.
    response = signed_in(api_client, sme.owner).post(
        "/api/v1/enterprises/",
        {"uscc": "", "name_zh": "x", "kind": "sme", "district": "x", "categories": ["a\x00b"]},
        format="json",
    )

    assert response.status_code == 400
    assert_documented(response, "/api/v1/enterprises/", "post")


# --- 401, 403, 404 and 429, for every operation --------------------------------------------


def test_every_operation_documents_401_403_404_and_429_with_a_body():
    for path, operations in api_schema()["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "429"):
                answer = operation["responses"].get(status)
                assert answer and "application/json" in answer.get("content", {}), (
                    f"{method.upper()} {path} does not document {status}"
                )


def test_a_wrong_token_is_a_documented_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api_client.get("/api/v1/applications/")

    assert response.status_code == 401
    assert_documented(response, "/api/v1/applications/")


def test_a_stranger_is_a_documented_404(api_client, sme):
    application = ApplicationFactory()

    response = signed_in(api_client, sme.owner).get(f"/api/v1/applications/{application.pk}/")

    assert response.status_code == 404
    assert_documented(response, "/api/v1/applications/{id}/")


def test_a_page_past_the_end_is_a_documented_404(api_client):
    response = api_client.get("/api/v1/enterprises/", {"page": 99})

    assert response.status_code == 404
    assert_documented(response, "/api/v1/enterprises/")


def test_an_api_address_no_route_matches_answers_json(api_client, sme):
    response = signed_in(api_client, sme.owner).get("/api/v1/applications/-1/")

    assert response.status_code == 404
    assert_documented(response, "/api/v1/applications/{id}/")


def test_errors_of_the_calendar_file_are_documented_in_its_format(api_client, sme):
    signed_out = api_client.get("/api/v1/meetings/1/ics/", {"format": "ics"})
    client = signed_in(api_client, sme.owner)
    missing = client.get("/api/v1/meetings/999999/ics/", {"format": "ics"})

    assert signed_out.status_code in (401, 403) and missing.status_code == 404
    assert signed_out["Content-Type"].startswith("text/calendar")
    assert_documented(signed_out, "/api/v1/meetings/{id}/ics/")
    assert_documented(missing, "/api/v1/meetings/{id}/ics/")


def test_a_page_no_route_matches_is_still_the_html_page(client):
    response = client.get("/directory/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_too_many_token_requests_are_a_documented_429(api_client):
    cache.clear()
    answers = [
        api_client.post(
            "/api/v1/auth/token/",
            {"username": "nobody", "password": "wrong"},
            REMOTE_ADDR="203.0.113.16",
        )
        for _ in range(25)
    ]
    cache.clear()

    throttled = answers[-1]
    assert throttled.status_code == 429
    assert_documented(throttled, "/api/v1/auth/token/", "post")
