"""The LCR pages: a firm's own, the public city page, the officials' dashboard and exports,
and the officials' admin forms for the trajectory and for publishing a year."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from directory import charts
from directory.lcr.services import lcr_year_publish
from directory.models import LcrPublication, LcrTrajectory
from tests.directory.test_lcr import YEAR, purchase
from tests.factories import EnterpriseFactory, MembershipFactory, UserFactory, outside_district


@pytest.fixture(autouse=True)
def _default_trajectory(settings):
    settings.LCR_DEFAULT_BASELINE_YEAR = 2025


@pytest.fixture
def bought(anchor):
    """The anchor buys electrolyte locally and cathodes from outside: 25 % local in 2026."""
    local = EnterpriseFactory(name_zh="本地电解质")
    remote = EnterpriseFactory(name_zh="外地正极供应商", district=outside_district())
    purchase(anchor, "250.00", supplier=local)
    purchase(anchor, "750.00", supplier=remote, category="cathode")
    purchase(anchor, "500.00", supplier=local, date=f"{YEAR - 1}-06-01")
    return anchor


def buyer_url(enterprise) -> str:
    return reverse("lcr:buyer", args=[enterprise.uscc])


# --- the firm's page ---------------------------------------------------------------------------


def test_firm_page_shows_the_ratio_by_year_against_the_target(client, bought):
    client.force_login(bought.owner)

    response = client.get(buyer_url(bought), {"year": YEAR})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="chart"' in html
    assert '<title id="lcr-buyer-title">' in html
    assert '<desc id="lcr-buyer-desc">' in html
    series = {row["year"]: row for row in response.context["series"]}
    assert series[YEAR]["lcr_percent"] == Decimal("25.00")
    assert series[YEAR - 1]["lcr_percent"] == Decimal("100.00")
    assert "25.00" in html
    assert "46.00" in html
    assert "Behind the target" in html


def test_firm_page_splits_the_year_by_category_and_by_supplier(client, bought):
    client.force_login(bought.owner)

    response = client.get(buyer_url(bought), {"year": YEAR})

    html = response.content.decode()
    assert "Cathode materials" in html
    assert "Sulfide solid electrolyte" in html
    assert "外地正极供应商" in html
    assert [g["key"] for g in response.context["by_category"]] == [
        "cathode",
        "sulfide-electrolyte",
    ]


def test_firm_page_offers_local_alternatives_for_what_it_buys_outside(client, bought):
    cathode_maker = EnterpriseFactory(name_zh="本地正极材料", categories=["high-nickel-cathode"])
    client.force_login(bought.owner)

    response = client.get(buyer_url(bought), {"year": YEAR})

    [entry] = response.context["alternatives"]
    assert entry["category"]["key"] == "cathode"
    assert entry["suppliers"] == [cathode_maker]
    assert reverse("directory:detail", args=[cathode_maker.uscc]) in response.content.decode()


def test_firm_page_defaults_to_the_latest_year_with_purchases(client, bought):
    client.force_login(bought.owner)

    response = client.get(buyer_url(bought))

    assert response.context["year"] == YEAR


def test_firm_page_without_purchases_links_to_the_upload(client, anchor):
    client.force_login(anchor.owner)

    response = client.get(buyer_url(anchor))

    assert response.status_code == 200
    html = response.content.decode()
    assert "No purchases recorded yet" in html
    assert f"/directory/mine/{anchor.uscc}/purchases/" in html


def test_firm_page_with_a_bad_year_answers_400_naming_it(client, bought):
    client.force_login(bought.owner)

    response = client.get(buyer_url(bought), {"year": "last"})

    assert response.status_code == 400
    assert "Year: Enter a whole number." in response.content.decode()


def test_official_sees_any_firms_page_reached_from_the_dashboard(client, official, bought):
    client.force_login(official)

    response = client.get(buyer_url(bought))

    assert response.status_code == 200
    assert reverse("lcr:dashboard") in response.content.decode()
    assert (
        f'href="{reverse("directory:my_enterprise", args=[bought.uscc])}"'
        not in response.content.decode()
    )


def test_another_firms_member_gets_404(client, bought):
    client.force_login(MembershipFactory(enterprise=EnterpriseFactory()).user)

    assert client.get(buyer_url(bought)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, bought):
    response = client.get(buyer_url(bought))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_firm_page_takes_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    buyer = EnterpriseFactory(kind="anchor")
    owner = UserFactory()
    MembershipFactory(user=owner, enterprise=buyer, role="owner")
    slugs = ["sulfide-electrolyte", "cathode", "anode", "pack-bms", "equipment"]
    remote = EnterpriseFactory(district=outside_district())
    for slug in slugs:
        for _ in range(3):
            EnterpriseFactory(categories=[slug])
    for year in range(YEAR - 3, YEAR + 1):
        for index, slug in enumerate(slugs):
            purchase(
                buyer, "100.00", supplier=remote, category=slug, date=f"{year}-0{index + 1}-01"
            )
            purchase(
                buyer, "10.00", supplier=EnterpriseFactory(), category=slug, date=f"{year}-07-01"
            )
    client.force_login(owner)

    # Session and user, official check, membership, series (GROUP BY, trajectory,
    # publications), category and supplier figures (trajectory, total, groups each),
    # alternatives (categories, suppliers), imports awaiting review.
    with django_assert_max_num_queries(17):
        response = client.get(buyer_url(buyer), {"year": YEAR})

    assert len(response.context["alternatives"]) == 5
    assert len(response.context["by_supplier"]) == 6


# --- the public city page ----------------------------------------------------------------------


def test_public_city_page_shows_the_city_by_year_and_names_no_firm(client, bought):
    response = client.get(reverse("lcr:city"), {"year": YEAR})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="chart"' in html
    assert "25.00" in html
    assert bought.name_zh not in html
    assert bought.uscc not in html
    assert "外地正极供应商" not in html


def test_public_city_page_without_purchases_shows_the_trajectory(client, db):
    response = client.get(reverse("lcr:city"))

    assert response.status_code == 200
    assert "No purchases recorded yet" in response.content.decode()
    assert response.context["series"][-1]["target_percent"] == Decimal("70.00")


def test_public_city_page_takes_a_fixed_number_of_queries(
    client, bought, django_assert_max_num_queries
):
    for _ in range(4):
        firm = EnterpriseFactory(kind="anchor")
        for year in range(YEAR - 3, YEAR + 1):
            purchase(firm, "100.00", supplier=EnterpriseFactory(), date=f"{year}-03-03")

    with django_assert_max_num_queries(6):
        client.get(reverse("lcr:city"))


# --- the officials' dashboard and exports -------------------------------------------------------


def test_dashboard_lists_the_firms_behind_target_and_the_weakest_categories(
    client, official, bought
):
    leader = EnterpriseFactory(kind="anchor", name_zh="领先电池")
    purchase(leader, "900.00", supplier=EnterpriseFactory())
    client.force_login(official)

    response = client.get(reverse("lcr:dashboard"), {"year": YEAR})

    assert response.status_code == 200
    assert [row["buyer_uscc"] for row in response.context["behind"]] == [bought.uscc]
    assert response.context["lowest_categories"][0]["key"] == "cathode"
    html = response.content.decode()
    assert reverse("lcr:buyer", args=[bought.uscc]) in html
    assert reverse("lcr:export", args=["xlsx"]) in html


def test_dashboard_shows_published_beside_live(client, official, bought):
    lcr_year_publish(actor=official, year=YEAR)
    purchase(bought, "1000.00", supplier=EnterpriseFactory())
    client.force_login(official)

    response = client.get(reverse("lcr:dashboard"), {"year": YEAR})

    row = next(r for r in response.context["series"] if r["year"] == YEAR)
    assert row["published"]["lcr_percent"] == Decimal("25.00")
    assert row["lcr_percent"] == Decimal("62.50")
    assert row["change_since_published"] == Decimal("37.50")
    assert "+37.50" in response.content.decode()


def test_dashboard_is_404_for_a_firm_and_sends_anonymous_to_log_in(client, bought):
    anonymous = client.get(reverse("lcr:dashboard"))
    client.force_login(bought.owner)
    member = client.get(reverse("lcr:dashboard"))

    assert anonymous.status_code == 302
    assert member.status_code == 404


def test_dashboard_takes_a_fixed_number_of_queries(client, official, django_assert_max_num_queries):
    remote = EnterpriseFactory(district=outside_district())
    for _ in range(5):
        firm = EnterpriseFactory(kind="anchor")
        for year in range(YEAR - 2, YEAR + 1):
            for slug in ("cathode", "anode", "sulfide-electrolyte"):
                purchase(firm, "100.00", supplier=remote, category=slug, date=f"{year}-02-02")
    client.force_login(official)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("lcr:dashboard"), {"year": YEAR})

    assert len(response.context["behind"]) == 5


def test_csv_export_has_every_firm_in_every_year(client, official, bought):
    client.force_login(official)

    response = client.get(reverse("lcr:export", args=["csv"]))

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Year", "USCC", "Name (Chinese)"]
    assert [(r[0], r[1], r[6]) for r in rows[1:]] == [
        (str(YEAR - 1), bought.uscc, "100.00"),
        (str(YEAR), bought.uscc, "25.00"),
    ]
    assert rows[2][8] == "True"


def test_xlsx_export_holds_numbers(client, official, bought):
    client.force_login(official)

    response = client.get(reverse("lcr:export", args=["xlsx"]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Year"
    assert values[2][1] == bought.uscc
    assert values[2][5] == 1000
    assert values[2][6] == 25


def test_exports_are_404_for_a_firm(client, bought):
    client.force_login(bought.owner)

    assert client.get(reverse("lcr:export", args=["csv"])).status_code == 404


# --- the officials' admin ----------------------------------------------------------------------

LCR_ADMIN_PERMISSIONS = [
    "view_lcrtrajectory",
    "add_lcrtrajectory",
    "view_lcrpublication",
    "add_lcrpublication",
    "view_lcrpublishedfigure",
]


@pytest.fixture
def official(official):
    """The official, with the permissions the officials' group is to hold for the LCR admin."""
    official.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="directory", codename__in=LCR_ADMIN_PERMISSIONS
        )
    )
    return official


def test_official_sets_the_trajectory_in_the_admin(client, official):
    client.force_login(official)
    url = reverse("admin:directory_lcrtrajectory_add")

    form = client.get(url)
    response = client.post(
        url,
        {
            "baseline_year": "2024",
            "baseline_percent": "36.5",
            "goal_percent": "70",
            "goal_years": "6",
        },
    )

    assert form.status_code == 200
    assert response.status_code == 302
    trajectory = LcrTrajectory.objects.get()
    assert (trajectory.baseline_year, trajectory.baseline_percent) == (2024, Decimal("36.50"))
    assert trajectory.updated_by == official


def test_admin_takes_the_measured_baseline_or_says_why_it_cannot(client, official, bought):
    client.force_login(official)
    url = reverse("admin:directory_lcrtrajectory_add")

    refused = client.post(
        url,
        {"baseline_year": "2019", "baseline_percent": "", "goal_percent": "70", "goal_years": "5"},
    )
    taken = client.post(
        url,
        {
            "baseline_year": str(YEAR),
            "baseline_percent": "",
            "goal_percent": "70",
            "goal_years": "5",
        },
    )

    assert refused.status_code == 200
    assert "No purchases are recorded for 2019" in refused.content.decode()
    assert taken.status_code == 302
    assert LcrTrajectory.objects.get().baseline_percent == Decimal("25.00")


def test_official_publishes_a_year_in_the_admin_and_sees_it_frozen(client, official, bought):
    client.force_login(official)

    response = client.post(reverse("admin:directory_lcrpublication_add"), {"year": str(YEAR)})
    again = client.post(reverse("admin:directory_lcrpublication_add"), {"year": str(YEAR)})
    publication = LcrPublication.objects.get()
    page = client.get(reverse("admin:directory_lcrpublication_change", args=[publication.pk]))

    assert response.status_code == 302
    assert publication.lcr_percent == Decimal("25.00")
    assert "published figures never change" in again.content.decode()
    assert page.status_code == 200
    assert bought.name_zh in page.content.decode()


def test_staff_without_the_lcr_permissions_cannot_reach_the_lcr_admin(client, db):
    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:directory_lcrpublication_add"))

    assert response.status_code == 403


def test_staff_with_the_permissions_but_not_an_official_cannot_publish(client, anchor):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=LCR_ADMIN_PERMISSIONS))
    purchase(anchor, "100.00", supplier=EnterpriseFactory())
    client.force_login(clerk)

    response = client.post(reverse("admin:directory_lcrpublication_add"), {"year": str(YEAR)})

    assert response.status_code == 403
    assert not LcrPublication.objects.exists()


# --- the chart ---------------------------------------------------------------------------------


def test_chart_is_labelled_for_screen_readers_and_escapes_its_words():
    svg = charts.ratio_chart(
        [
            charts.YearPoint(2025, Decimal("38.00"), Decimal("40.00")),
            charts.YearPoint(2026, None, Decimal("46.00")),
            charts.YearPoint(2027, Decimal("-3.00"), Decimal("52.00"), Decimal("1.00")),
        ],
        chart_id="t",
        title="<b>LCR</b>",
        description="Bars & lines",
        legend=charts.Legend("LCR", "Below <target>", "Target", "Published"),
    )

    assert 'role="img" aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">&lt;b&gt;LCR&lt;/b&gt;</title>' in svg
    assert "Bars &amp; lines" in svg
    assert "Below &lt;target&gt;" in svg
    assert svg.count("<rect x=") == 2  # no bar for the year without purchases
    assert "-3.00" in svg
