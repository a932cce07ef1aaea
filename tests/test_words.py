"""Words users read (issue 18): the programme's targets named as such, the measured city
figure on the home page, labels that say things once, states as labels, one Chinese word per
meaning, the web form's own error wording, one error per bad value, and a next step when a
registration is refused."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from alliance.standard_keys import standard_designation
from directory.models import District, SupplyCategory
from subsidies.models import Transition
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    StandardFactory,
    make_uscc,
    outside_district,
)

pytestmark = pytest.mark.django_db

PO_FILE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"
SEED_WORDING = re.compile(r"seed's|Seed target|the seed\b", re.IGNORECASE)


# --- "programme target", not "the seed's" ----------------------------------------------------


def test_the_programme_dashboard_names_programme_targets(client):
    html = client.get(reverse("programme:dashboard")).content.decode()

    assert SEED_WORDING.findall(html) == []
    assert "each judged against the programme targets" in html


def test_the_officials_rd_kpi_table_names_programme_targets(client, official):
    client.force_login(official)

    html = client.get(reverse("subsidies:rd_kpis")).content.decode()
    csv_text = client.get(reverse("subsidies:rd_kpis_csv")).content.decode("utf-8-sig")

    assert SEED_WORDING.findall(html) == []
    assert "the programme target." in html
    assert "Programme target,Programme target met" in csv_text.splitlines()[0]


def test_the_api_schema_names_programme_targets(client):
    schema = client.get("/api/schema/").content.decode()

    assert SEED_WORDING.findall(schema) == []
    assert "against the programme targets" in schema


def test_programme_target_reads_as_such_in_chinese():
    with translation.override("zh-hans"):
        assert translation.gettext("Programme target") == "规划目标"
        assert translation.gettext("KPIs meeting the programme target") == "达到规划目标的 KPI"


# --- the home page's figures ----------------------------------------------------------------


def test_home_shows_the_measured_city_figure_beside_baseline_and_target(client):
    local = EnterpriseFactory()
    outside = EnterpriseFactory(district=outside_district())
    # 51.8 % of the year's value from a local supplier.
    PurchaseLineFactory(supplier=local, amount=Decimal("518000.00"))
    PurchaseLineFactory(supplier=outside, supplier_name="市外", amount=Decimal("482000.00"))

    html = client.get(reverse("home")).content.decode()

    year = timezone.localdate().year
    assert "&lt;40 %" not in html and "local content ratio today" not in html
    assert "51.8 %" in html
    assert f"measured city figure, {year} (provisional)" in html
    assert '40 %</span><span class="goal-label">programme baseline, 2025' in html
    assert '70 %</span><span class="goal-label">programme target, 2030' in html
    assert f'href="{reverse("lcr:city")}"' in html


def test_home_without_purchases_shows_baseline_and_target_only(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        html = client.get(reverse("home")).content.decode()

    assert "measured city figure" not in html
    assert "programme baseline, 2025" in html and "programme target, 2030" in html


# --- labels that say things once ------------------------------------------------------------


def test_a_programme_named_with_its_year_is_not_given_the_year_twice(client):
    year = timezone.localdate().year
    programme = ProgrammeFactory(
        name_zh=f"{year}年本地采购补贴", name_en=f"Local procurement subsidy {year}"
    )
    plain = ProgrammeFactory(name_zh="采购补贴", name_en="Procurement subsidy")

    html = client.get(reverse("subsidies:awards")).content.decode()

    assert str(programme) == f"{year}年本地采购补贴 / Local procurement subsidy {year}"
    assert str(plain) == f"{year} 采购补贴 / {year} Procurement subsidy"
    assert f">Local procurement subsidy {year}</option>" in html
    assert f"{year} Local procurement subsidy" not in html
    assert f">{year} Procurement subsidy</option>" in html


@pytest.mark.parametrize(
    ("body", "number", "designation"),
    [
        ("IEC", "IEC 62660-4", "IEC 62660-4"),
        ("IEC", "62660-4", "IEC 62660-4"),
        ("GB/T", "GB/T 36276", "GB/T 36276"),
        ("", "T/CIAPS 0001", "T/CIAPS 0001"),
    ],
)
def test_a_standard_is_cited_with_its_body_once(body, number, designation):
    assert standard_designation(body, number) == designation


def test_the_standards_page_cites_iec_once(client):
    StandardFactory(body="IEC", number="IEC 62660-4", key="IEC626604")

    html = client.get(reverse("alliance:standards")).content.decode()

    assert "IEC 62660-4" in html
    assert "IEC IEC" not in html


def test_the_admin_history_shows_state_labels(client, official):
    application = ApplicationFactory(status="under_review")
    Transition.objects.create(
        application=application, actor=official, from_status="submitted", to_status="under_review"
    )
    client.force_login(official)

    html = client.get(
        reverse("admin:subsidies_application_change", args=[application.pk])
    ).content.decode()

    assert "submitted → under_review" not in html
    assert "Submitted → Under review" in html


# --- one Chinese word per meaning ------------------------------------------------------------


def _catalogue() -> dict[str, str]:
    """msgid -> msgstr of every live entry of the zh-hans catalogue."""
    entries = {}
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        found = re.search(r'^msgid ((?:".*"\n)+)msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if found:
            join = lambda text: "".join(re.findall(r'"(.*)"', text))  # noqa: E731
            entries[join(found.group(1))] = join(found.group(2))
    return entries


def test_a_meeting_between_alliance_firms_is_always_huitan():
    catalogue = _catalogue()
    meetings = {i: s for i, s in catalogue.items() if re.search(r"\bmeetings?\b", i, re.I)}

    assert meetings
    assert {i: s for i, s in meetings.items() if "会议" in s.replace("视频会议", "")} == {}


def test_an_organisation_in_the_alliance_is_a_huiyuan():
    catalogue = _catalogue()
    alliance_members = {
        i: s for i, s in catalogue.items() if re.search(r"alliance members?\b", i, re.I)
    }

    assert alliance_members
    assert {i: s for i, s in alliance_members.items() if "联盟成员" in s} == {}


# --- the search page's own words, one error per value ----------------------------------------


def test_a_bad_yes_no_on_the_search_page_says_the_pages_words(client):
    response = client.get(reverse("directory:search"), {"is_local": "maybe"})

    assert response.status_code == 400
    errors = response.context["form"].errors["is_local"]
    assert errors == ["Choose Yes, No or Any."]


def test_the_api_keeps_its_true_or_false_wording(client):
    response = client.get("/api/v1/enterprises/", {"is_local": "maybe"})

    assert response.status_code == 400
    assert "Use true or false." in response.content.decode()


def test_a_huge_percentage_threshold_gives_one_error(client):
    response = client.get(reverse("directory:search"), {"coulombic_efficiency_min": "1e308"})

    assert response.status_code == 400
    assert response.context["form"].errors["coulombic_efficiency_min"] == [
        "Ensure this value is less than or equal to 100."
    ]


# --- a refused registration says what to do --------------------------------------------------


def _registration(uscc: str) -> dict:
    return {
        "account-username": "second",
        "account-email": "second@example.com",
        "account-password": "a long enough passphrase 42",
        "account-password_confirm": "a long enough passphrase 42",
        "uscc": uscc,
        "name_zh": "重复登记有限公司",
        "kind": "sme",
        "district": District.objects.order_by("sort_order").first().pk,
        "address": "东湖区1号",
        "contact_person": "王工",
        "phone": "0571-1234567",
        "email": "dup@example.com",
        "categories": [SupplyCategory.objects.get(slug="sulfide-electrolyte").pk],
    }


def test_a_registered_code_is_refused_with_the_way_to_join(client):
    existing = EnterpriseFactory(uscc=make_uscc(900123))

    response = client.post(reverse("signup"), _registration(existing.uscc))

    assert response.status_code == 200
    errors = response.context["enterprise_form"].errors["uscc"]
    assert errors == ["An enterprise with this code is registered on the portal already."]
    html = response.content.decode()
    assert 'id="registered-listing"' in html
    assert "ask its administrator" in html.lower()
    assert f'href="{reverse("directory:detail", args=[existing.uscc])}"' in html


def test_a_pending_listing_is_not_linked(client):
    pending = EnterpriseFactory(uscc=make_uscc(900124), status="pending", verified_at=None)

    html = client.post(reverse("signup"), _registration(pending.uscc)).content.decode()

    assert 'id="registered-listing"' in html
    assert reverse("directory:detail", args=[pending.uscc]) not in html
