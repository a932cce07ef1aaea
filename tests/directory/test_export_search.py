"""The directory export carries what the anchor searched by: one row per matching product with
its specs, values in the chosen language, and the filters applied (XLSX: written above the
table; CSV: a last column, so the file stays one importable table)."""

import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from django.urls import reverse

from tests.factories import EnterpriseFactory, ProductFactory, outside_district

pytestmark = pytest.mark.django_db

SEARCHED = {"category": "sulfide-electrolyte", "ionic_conductivity_min": "1e-3"}


@pytest.fixture
def electrolyte_suppliers():
    """A local supplier with one product meeting the threshold and one not; an outside one
    with a meeting product; an enterprise in another category."""
    local = EnterpriseFactory(
        name_zh="一号电解质", name_en="Local Electrolytes", categories=["sulfide-electrolyte"]
    )
    ProductFactory(
        enterprise=local,
        name="LPSC-H",
        ionic_conductivity=2.5e-3,
        asr=12.5,
        price=Decimal("1800.00"),
        coulombic_efficiency_cycles=500,
    )
    ProductFactory(enterprise=local, name="LPSC-L", ionic_conductivity=4e-4)
    outside = EnterpriseFactory(
        name_zh="二号电解质",
        name_en="Outside Electrolytes",
        district=outside_district(),
        recommended=True,
        categories=["sulfide-electrolyte"],
    )
    ProductFactory(enterprise=outside, name="Argyrodite-X", ionic_conductivity=1.1e-3)
    EnterpriseFactory(name_zh="别的类别", categories=["oxide-electrolyte"])
    return local, outside


def read_csv(response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.content), encoding="utf-8-sig", dtype=str).fillna("")


def test_csv_has_one_row_per_matching_product_with_its_specs(client, electrolyte_suppliers):
    local, outside = electrolyte_suppliers

    response = client.get(reverse("directory:export", args=["csv"]), SEARCHED)

    assert response.status_code == 200
    frame = read_csv(response)
    assert list(frame["Product"]) == ["LPSC-H", "Argyrodite-X"]
    assert list(frame["Name (Chinese)"]) == ["一号电解质", "二号电解质"]
    high = frame.iloc[0]
    assert float(high["Ionic conductivity (S/cm at 25 °C)"]) == 2.5e-3
    assert float(high["Area-specific resistance (Ω·cm²)"]) == 12.5
    assert high["Price (CNY/kg)"] == "1800.00"
    assert high["Cycles the coulombic efficiency held over"] == "500"
    assert high["Product category"] == "Sulfide solid electrolyte"
    # Every spec the search can filter by has its column.
    for header in (
        "Specific capacity (mAh/g)",
        "Capacity decay (% per cycle)",
        "Coulombic efficiency (%)",
        "Weight reduction vs. copper foil (%)",
    ):
        assert header in frame.columns


def test_csv_values_are_words_in_the_chosen_language(client, electrolyte_suppliers):
    local, outside = electrolyte_suppliers

    frame = read_csv(client.get(reverse("directory:export", args=["csv"]), SEARCHED))

    assert list(frame["Local"]) == ["Yes", "No"]
    assert list(frame["Recommended"]) == ["No", "Yes"]
    assert list(frame["Categories"]) == ["Sulfide solid electrolyte"] * 2
    assert list(frame["District"]) == [local.district.name_en, outside.district.name_en]


def test_csv_carries_the_filters_in_its_last_column(client, electrolyte_suppliers):
    frame = read_csv(client.get(reverse("directory:export", args=["csv"]), SEARCHED))

    assert frame.columns[-1] == "Search filters"
    assert set(frame["Search filters"]) == {
        "Supply category: Sulfide solid electrolyte; Ionic conductivity at least (S/cm): 0.001"
    }


def test_without_thresholds_every_product_is_a_row_and_a_productless_listing_one_row(client):
    with_two = EnterpriseFactory(name_zh="甲")
    ProductFactory(enterprise=with_two, name="A1")
    ProductFactory(enterprise=with_two, name="A2")
    EnterpriseFactory(name_zh="乙")

    frame = read_csv(client.get(reverse("directory:export", args=["csv"])))

    assert list(frame["Name (Chinese)"]) == ["乙", "甲", "甲"]
    assert list(frame["Product"]) == ["", "A1", "A2"]
    assert set(frame["Search filters"]) == {""}


def test_xlsx_in_chinese_writes_the_filters_above_the_table(client, electrolyte_suppliers):
    local, outside = electrolyte_suppliers
    client.cookies["django_language"] = "zh-hans"

    response = client.get(reverse("directory:export", args=["xlsx"]), SEARCHED)

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "筛选条件"
    assert rows[1][:2] == ("供应类别", "硫化物固态电解质")
    assert rows[2][:2] == ("离子电导率不低于（S/cm）", 0.001)
    header_at = rows.index(next(row for row in rows if row[0] == "统一社会信用代码"))
    table = pd.DataFrame(rows[header_at + 1 :], columns=rows[header_at])
    assert list(table["产品"]) == ["LPSC-H", "Argyrodite-X"]
    assert list(table["本地"]) == ["是", "否"]
    assert list(table["推荐"]) == ["否", "是"]
    assert list(table["所在区县"]) == [local.district.name_zh, outside.district.name_zh]
    assert list(table["离子电导率（S/cm，25 °C）"]) == [2.5e-3, 1.1e-3]
    assert table["价格（元/千克）"].iloc[0] == 1800.0
    assert pd.isna(table["价格（元/千克）"].iloc[1])


def test_xlsx_without_filters_says_so(client, electrolyte_suppliers):
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("directory:export", args=["xlsx"])).content)
        ).active.values
    )

    assert rows[0][0] == "Filters"
    assert rows[1][0] == "None: every verified listing"


def test_export_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        enterprise = EnterpriseFactory(categories=["sulfide-electrolyte"])
        ProductFactory.create_batch(2, enterprise=enterprise, ionic_conductivity=2e-3)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:export", args=["xlsx"]), SEARCHED)

    assert response.status_code == 200
