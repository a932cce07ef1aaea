"""The public pages: home, the search (the Recommendation Directory), exports, profiles."""

import datetime
import io
import re

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import ListingStatus, SupplyCategory
from tests.factories import (
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("directory:search")


def names_on(response) -> list[str]:
    """The enterprises a search page lists, in order (their Chinese names link to profiles)."""
    return re.findall(
        r'<h3><a href="/directory/e/[^"]+/">([^<]+)</a></h3>', response.content.decode()
    )


def category(slug: str) -> SupplyCategory:
    return SupplyCategory.objects.get(slug=slug)


def rich_enterprise(index: int, **kwargs):
    """A verified enterprise with three products, two categories and two certificates."""
    enterprise = EnterpriseFactory(
        name_zh=f"富数据企业{index:03d}",
        categories=["sulfide-electrolyte", "conductive-agent"],
        **kwargs,
    )
    for n in range(3):
        ProductFactory(enterprise=enterprise, ionic_conductivity=0.001 * (n + 1), price=100 + n)
    CertificationFactory(enterprise=enterprise, scheme="ISO 9001")
    CertificationFactory(enterprise=enterprise, scheme="IATF 16949")
    return enterprise


# --- home ----------------------------------------------------------------------------------


def test_home_explains_the_directory_and_counts_verified_and_recommended(client):
    EnterpriseFactory.create_batch(3)
    EnterpriseFactory(recommended=True)
    EnterpriseFactory(status=ListingStatus.PENDING, verified_at=None)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Procurement Recommendation Directory" in html
    assert "40 %" in html and "70 %" in html
    assert response.context["counts"] == {"verified": 4, "recommended": 1, "local": 4}
    assert f'href="{SEARCH}"' in html
    assert f'href="{reverse("signup")}"' in html


# --- search --------------------------------------------------------------------------------


def test_search_lists_only_verified_enterprises(client):
    EnterpriseFactory(name_zh="已核验公司")
    EnterpriseFactory(name_zh="待核验公司", status=ListingStatus.PENDING, verified_at=None)
    EnterpriseFactory(name_zh="退回公司", status=ListingStatus.RETURNED, verified_at=None)

    response = client.get(SEARCH)

    assert response.status_code == 200
    assert names_on(response) == ["已核验公司"]


def test_recommended_true_is_the_recommendation_directory(client):
    EnterpriseFactory(name_zh="推荐企业", recommended=True)
    EnterpriseFactory(name_zh="普通企业")

    response = client.get(SEARCH, {"recommended": "true"})

    assert names_on(response) == ["推荐企业"]
    assert "<h1>Procurement Recommendation Directory</h1>" in response.content.decode()
    # The navigation links to it as such.
    assert f'href="{SEARCH}?recommended=true"' in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "solid-electrolyte"}, ["硫化物供应商"]),  # a parent includes its children
        ({"category": "cathode"}, ["正极供应商"]),
        ({"district": "other-cn"}, ["市外供应商"]),
        ({"is_local": "false"}, ["市外供应商"]),
        ({"certification": "ISO 9001"}, ["硫化物供应商"]),
        ({"q": "Li6PS5Cl"}, ["硫化物供应商"]),
        ({"q": "正极"}, ["正极供应商"]),
        ({"ionic_conductivity_min": "0.01"}, ["硫化物供应商"]),
        ({"ionic_conductivity_min": "0.05"}, []),
        ({"specific_capacity_min": "250", "decay_rate_max": "0.05"}, ["正极供应商"]),
        ({"kind": "university"}, ["市外供应商"]),
    ],
)
def test_search_filters(client, params, expected):
    sulfide = EnterpriseFactory(name_zh="硫化物供应商", categories=["sulfide-electrolyte"])
    ProductFactory(enterprise=sulfide, name="Li6PS5Cl powder", ionic_conductivity=0.012)
    ProductFactory(  # meets one of two thresholds: does not make its enterprise match both
        enterprise=sulfide, category=category("li-rich-mn-cathode"), specific_capacity=320
    )
    CertificationFactory(enterprise=sulfide, scheme="ISO 9001")
    cathode = EnterpriseFactory(name_zh="正极供应商", categories=["li-rich-mn-cathode"])
    ProductFactory(
        enterprise=cathode,
        name="富锂锰基正极",
        category=category("li-rich-mn-cathode"),
        specific_capacity=310,
        decay_rate=0.04,
    )
    CertificationFactory(
        enterprise=cathode,
        scheme="ISO 9001",
        valid_until=timezone.localdate() - datetime.timedelta(days=1),  # expired
    )
    EnterpriseFactory(name_zh="市外供应商", district=outside_district(), kind="university")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assert names_on(response) == expected


def test_search_shows_names_badges_categories_and_the_matching_specs(client):
    enterprise = EnterpriseFactory(
        name_zh="示范企业",
        name_en="Demo Materials Co.",
        recommended=True,
        categories=["sulfide-electrolyte"],
    )
    ProductFactory(enterprise=enterprise, name="Fast conductor", ionic_conductivity=0.012)
    ProductFactory(enterprise=enterprise, name="Slow conductor", ionic_conductivity=0.0001)
    ProductFactory(
        enterprise=enterprise, name="Unverified", ionic_conductivity=0.5, status="pending"
    )

    response = client.get(SEARCH, {"ionic_conductivity_min": "0.01"})

    html = response.content.decode()
    assert "Demo Materials Co." in html
    assert "Recommended" in html and "Local" in html
    assert "Sulfide solid electrolyte" in html
    assert "Ionic conductivity (S/cm at 25 °C)" in html
    assert "Fast conductor" in html and "0.012" in html
    assert "Slow conductor" not in html
    assert "Unverified" not in html


def test_empty_result_suggests_loosening_a_threshold(client):
    EnterpriseFactory()

    response = client.get(SEARCH, {"asr_max": "0.0001"})

    assert response.status_code == 200
    assert "No enterprise matches" in response.content.decode()
    assert "Loosen a threshold" in response.content.decode()


def test_pages_of_twenty_with_links_that_keep_the_filters(client):
    for index in range(45):
        EnterpriseFactory(name_zh=f"企业{index:02d}", recommended=True)
    EnterpriseFactory(name_zh="不推荐企业")

    first = client.get(SEARCH, {"recommended": "true"})
    third = client.get(SEARCH, {"recommended": "true", "page": "3"})

    assert len(names_on(first)) == 20
    assert names_on(first)[0] == "企业00"
    assert names_on(third) == [f"企业{index:02d}" for index in range(40, 45)]
    html = first.content.decode()
    assert 'href="?recommended=true&amp;page=2"' in html
    assert 'href="?recommended=true&amp;page=3"' in html
    assert "45 enterprises" in html
    # Export links carry the filters but not the page.
    third_html = third.content.decode()
    assert 'href="/directory/export.csv/?recommended=true"' in third_html
    assert 'href="/directory/export.xlsx/?recommended=true"' in third_html


def test_page_number_out_of_range_shows_the_last_page(client):
    EnterpriseFactory.create_batch(3)

    response = client.get(SEARCH, {"page": "99"})

    assert response.status_code == 200
    assert len(names_on(response)) == 3


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"decay_rate_max": "abc"}, "decay_rate_max", "Enter a number."),
        ({"decay_rate_max": "120"}, "decay_rate_max", "less than or equal to 100"),
        ({"ionic_conductivity_min": "-1"}, "ionic_conductivity_min", "greater than or equal to 0"),
        ({"recommended": "maybe"}, "recommended", "Choose Yes, No or Any."),
        ({"is_local": "perhaps"}, "is_local", "Choose Yes, No or Any."),
        ({"category": "no-such-category"}, "category", "Select a valid choice"),
        ({"district": "atlantis"}, "district", "Select a valid choice"),
        ({"certification": "ISO 0"}, "certification", "Select a valid choice"),
        ({"ordering": "uscc"}, "ordering", "Select a valid choice"),
    ],
)
def test_bad_filters_show_errors_next_to_the_field_not_a_500(client, params, field, message):
    EnterpriseFactory()

    response = client.get(SEARCH, params)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    # Django renders the error list with the id the field's aria-describedby points to.
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert names_on(response) == []


# --- export --------------------------------------------------------------------------------


def test_csv_export_honours_the_filters(client):
    recommended = EnterpriseFactory(name_zh="推荐企业", recommended=True)
    ProductFactory(enterprise=recommended, name="Li6PS5Cl")
    EnterpriseFactory(name_zh="普通企业")

    response = client.get(reverse("directory:export", args=["csv"]), {"recommended": "true"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="ssb-directory-{today}.csv"'
    frame = pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig", dtype=str)
    assert list(frame["Name (Chinese)"]) == ["推荐企业"]
    assert list(frame["USCC"]) == [recommended.uscc]
    assert list(frame["Product"]) == ["Li6PS5Cl"]


def test_xlsx_export_honours_the_filters(client):
    EnterpriseFactory(name_zh="本地企业")
    EnterpriseFactory(name_zh="市外企业", district=outside_district())

    response = client.get(reverse("directory:export", args=["xlsx"]), {"is_local": "true"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith(f'{timezone.localdate().isoformat()}.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # The filters come first (see test_export_search), then the table.
    assert rows[1][:2] == ("Local supplier", "Yes")
    header_at = next(index for index, row in enumerate(rows) if row[0] == "USCC")
    name_column = rows[header_at].index("Name (Chinese)")
    assert [row[name_column] for row in rows[header_at + 1 :]] == ["本地企业"]


def test_export_is_not_paginated(client):
    EnterpriseFactory.create_batch(25)

    response = client.get(reverse("directory:export", args=["csv"]), {"page": "2"})

    assert len(pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig")) == 25


def test_export_with_bad_filters_answers_400_with_the_errors(client):
    response = client.get(
        reverse("directory:export", args=["xlsx"]), {"recommended": "maybe", "asr_max": "x"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose Yes, No or Any." in html
    assert "Enter a number." in html
    assert 'href="/directory/?recommended=maybe&amp;asr_max=x"' in html


def test_export_in_an_unknown_format_is_not_found(client):
    assert client.get("/directory/export.pdf/").status_code == 404


# --- enterprise profile --------------------------------------------------------------------


def test_public_profile_shows_verified_products_with_units_and_valid_certifications(client):
    enterprise = EnterpriseFactory(
        name_zh="档案企业", address="东湖区创业路1号", categories=["oxide-electrolyte"]
    )
    ProductFactory(enterprise=enterprise, name="LLZO pellet", asr=8.5, price="120.00")
    ProductFactory(enterprise=enterprise, name="Unverified pellet", status="pending")
    CertificationFactory(enterprise=enterprise, scheme="ISO 14001", number="VALID-1")
    CertificationFactory(
        enterprise=enterprise,
        number="EXPIRED-1",
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )

    response = client.get(reverse("directory:detail", args=[enterprise.uscc]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "档案企业" in html and "东湖区创业路1号" in html and enterprise.uscc in html
    assert "Oxide solid electrolyte" in html
    assert "LLZO pellet" in html and "8.5" in html
    assert "Area-specific resistance (Ω·cm²)" in html and "Price (CNY/kg)" in html
    assert "Ionic conductivity" not in html  # no product states it: no empty column
    assert "Unverified pellet" not in html
    assert "VALID-1" in html and "EXPIRED-1" not in html


@pytest.mark.parametrize("status", [ListingStatus.PENDING, ListingStatus.RETURNED])
def test_profile_of_an_unverified_enterprise_is_not_found(client, status):
    enterprise = EnterpriseFactory(status=status, verified_at=None)

    response = client.get(reverse("directory:detail", args=[enterprise.uscc]))

    assert response.status_code == 404


def test_profile_offers_members_the_management_page(client):
    enterprise = EnterpriseFactory()
    member = UserFactory()
    MembershipFactory(user=member, enterprise=enterprise)
    manage = reverse("directory:my_enterprise", args=[enterprise.uscc])
    url = reverse("directory:detail", args=[enterprise.uscc])

    assert manage not in client.get(url).content.decode()
    client.force_login(member)
    assert manage in client.get(url).content.decode()


# --- queries -------------------------------------------------------------------------------


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_search_queries_do_not_grow_with_the_results(client, django_assert_max_num_queries):
    # COUNT, the page, its categories, certifications and products, the category tree
    # (parents, children) and the district choices.
    bound = 8
    for index in range(3):
        rich_enterprise(index)
    with django_assert_max_num_queries(bound):
        few = count_queries(client, SEARCH)

    for index in range(3, 25):
        rich_enterprise(index)
    with django_assert_max_num_queries(bound):
        many = count_queries(client, SEARCH, {"certification": "ISO 9001"})

    assert few == many
    assert len(names_on(client.get(SEARCH))) == 20


def test_my_enterprise_queries_do_not_grow_with_its_rows(client, django_assert_max_num_queries):
    # Session and user; the enterprise; members; history; the profile's categories; products;
    # certifications; open invitations; the district choices and the category tree (two).
    bound = 12
    enterprise = rich_enterprise(0)
    owner = UserFactory()
    MembershipFactory(user=owner, enterprise=enterprise, role="owner")
    client.force_login(owner)
    url = reverse("directory:my_enterprise", args=[enterprise.uscc])
    with django_assert_max_num_queries(bound):
        few = count_queries(client, url)

    for _ in range(10):
        ProductFactory(enterprise=enterprise)
        CertificationFactory(enterprise=enterprise)
        MembershipFactory(enterprise=enterprise)
        enterprise.invitations.create(email=f"{_}@example.com", invited_by=owner)
        enterprise.status_changes.create(actor=owner, from_status="", to_status="pending")
    with django_assert_max_num_queries(bound):
        many = count_queries(client, url)

    assert few == many


# --- layout, language, CSRF ----------------------------------------------------------------


def test_navigation_shows_what_the_visitor_may_use(client, official):
    member = UserFactory()
    anonymous = client.get(reverse("home")).content.decode()
    assert "Log in" in anonymous and "Sign up" in anonymous
    assert reverse("directory:my_enterprises") not in anonymous
    assert reverse("admin:index") not in anonymous
    assert reverse("api-docs") in anonymous

    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert reverse("directory:my_enterprises") in html
    assert reverse("admin:index") not in html
    assert f'<form method="post" action="{reverse("logout")}"' in html

    client.force_login(official)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_language_switch_posts_to_set_language_and_changes_the_page(client):
    home = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("set_language")}"' in home
    assert 'name="language" value="zh-hans"' in home

    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": SEARCH}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == SEARCH
    assert '<html lang="zh-hans">' in html
    # Our data in the page's language, and Django's own catalogue for its strings.
    assert "硫化物固态电解质" in html
    assert "Sulfide solid electrolyte" not in html
    assert "用户名" in client.get(reverse("login")).content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": SEARCH})
    assert "Sulfide solid electrolyte" in client.get(SEARCH).content.decode()


def test_every_post_form_carries_a_csrf_token(client, sme):
    client.force_login(sme.owner)
    ProductFactory(enterprise=sme)
    sme.invitations.create(email="colleague@example.com", invited_by=sme.owner)
    for url in [
        reverse("home"),
        reverse("directory:my_enterprise", args=[sme.uscc]),
        reverse("directory:register"),
    ]:
        html = client.get(url).content.decode()
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, re.S)
        assert forms
        assert all('name="csrfmiddlewaretoken"' in form for form in forms), url


def test_posts_without_a_csrf_token_are_refused(sme):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(sme.owner)

    response = client.post(
        reverse("directory:member_invite", args=[sme.uscc]), {"invite-email": "x@example.com"}
    )

    assert response.status_code == 403
    assert not sme.invitations.exists()


def test_members_page_links_to_purchase_records_confirmations_and_the_local_content_ratio(
    client, anchor
):
    client.force_login(anchor.owner)

    page = client.get(reverse("directory:my_enterprise", args=[anchor.uscc])).content.decode()

    assert reverse("purchases:upload", args=[anchor.uscc]) in page
    assert reverse("lcr:buyer", args=[anchor.uscc]) in page
    assert reverse("purchases:confirmations", args=[anchor.uscc]) in page


def test_editing_a_product_on_its_page_keeps_the_declared_local_content_share(client, sme):
    product = ProductFactory(
        enterprise=sme, status=ListingStatus.PENDING, local_content_share="30.00"
    )
    client.force_login(sme.owner)
    url = reverse("directory:product_edit", args=[sme.uscc, product.pk])
    page = client.get(url)
    # The browser sends back only the fields the page renders: the share must be one of them.
    assert 'name="local_content_share"' in page.content.decode()
    initial = page.context["form"].initial
    data = {name: value for name, value in initial.items() if value is not None}
    data["name"] = "Renamed pack"

    client.post(url, data)

    product.refresh_from_db()
    assert product.name == "Renamed pack"
    assert str(product.local_content_share) == "30.00"
