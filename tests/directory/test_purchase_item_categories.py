"""A category for every line (issue 15): a row without category takes its directory product's,
else the buyer's own saved category of its item name, else it is stored uncategorised:
counted in the LCR, shown as "Uncategorised" in every grouping by category, never claimable
for a category-bound subsidy, and listed for the buyer to sort once on its purchase pages."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.lcr.alternatives import local_alternatives
from directory.lcr.selectors import lcr_figures
from directory.models import (
    CorrectionStatus,
    PurchaseItemCategory,
    PurchaseLine,
    PurchaseLineCorrection,
    PurchaseLineRevision,
    SupplyCategory,
)
from directory.purchases.files import read_purchase_file
from directory.purchases.frozen import purchase_line_holds_set
from directory.purchases.item_categories import item_category_save, uncategorised_items
from directory.purchases.services import purchase_lines_import
from subsidies.selectors.eligibility import claimable_lines
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

VAT_EXPORT_HEADER = (
    "发票代码,发票号码,开票日期,销方识别号,销方名称,货物或应税劳务名称,规格型号,单位,数量,"
    "单价,金额,税率,税额,价税合计"
)


def vat_export(supplier, *items: tuple[str, str]) -> bytes:
    """A VAT-invoice export without category: one line per (item name, amount)."""
    rows = [
        f"3300261130,00000001,2026-04-01,{supplier.uscc},,{name},,,,,{amount},,,"
        for name, amount in items
    ]
    return ("\n".join([VAT_EXPORT_HEADER, *rows]) + "\n").encode()


def import_file(buyer, data: bytes, actor=None):
    parsed = read_purchase_file(data)
    return purchase_lines_import(
        actor=actor, buyer=buyer, raw_rows=parsed.rows, source="command", first_row=2
    )


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def category(slug: str) -> SupplyCategory:
    return SupplyCategory.objects.get(slug=slug)


def page_url(buyer) -> str:
    return reverse("purchases:item_categories", args=[buyer.uscc])


@pytest.fixture
def supplier(db):
    """A verified local supplier (its lines count as local)."""
    return EnterpriseFactory(uscc=make_uscc(880001), name_zh="本地材料有限公司")


def test_a_row_without_category_takes_the_product_else_the_buyers_mapping_else_none(
    anchor, supplier
):
    ProductFactory(enterprise=supplier, name="硫化物电解质粉体")
    PurchaseItemCategory.objects.create(
        buyer=anchor, item_name="正极包覆料", item_key="正极包覆料", category=category("cathode")
    )
    data = vat_export(
        supplier,
        ("*电池*硫化物电解质粉体", "10.00"),
        ("*电池*正极包覆料", "20.00"),
        ("隔膜胶带", "30.00"),
    )

    _import, outcome = import_file(anchor, data)

    assert outcome.errors == []
    stored = {line.description: line.category_id for line in PurchaseLine.objects.all()}
    assert stored == {
        "*电池*硫化物电解质粉体": category("sulfide-electrolyte").pk,
        "*电池*正极包覆料": category("cathode").pk,
        "隔膜胶带": None,
    }


def test_item_names_compare_in_any_case_width_and_spacing(anchor, supplier):
    PurchaseItemCategory.objects.create(
        buyer=anchor,
        item_name="Li6PS5Cl powder",
        item_key="li6ps5cl powder",
        category=category("cathode"),
    )

    import_file(anchor, vat_export(supplier, ("ＬＩ6ps5cl   POWDER", "10.00")))

    assert PurchaseLine.objects.get().category == category("cathode")


def test_another_buyers_mapping_is_never_used(anchor, supplier):
    other = EnterpriseFactory(kind="anchor")
    PurchaseItemCategory.objects.create(
        buyer=other, item_name="隔膜胶带", item_key="隔膜胶带", category=category("cathode")
    )

    import_file(anchor, vat_export(supplier, ("隔膜胶带", "10.00")))

    assert PurchaseLine.objects.get().category is None


def test_an_uncategorised_line_counts_in_the_lcr_and_is_grouped_as_uncategorised(anchor, supplier):
    PurchaseLineFactory(buyer=anchor, supplier=supplier, amount=Decimal("100.00"))
    PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, amount=Decimal("300.00"))
    year = PurchaseLine.objects.first().invoice_date.year

    figures = lcr_figures(anchor.purchases.all(), year=year, group_by="category")

    assert (figures["total_value"], figures["local_value"]) == (
        Decimal("400.00"),
        Decimal("400.00"),
    )
    assert [
        (group["key"], group["name_en"], group["name_zh"], group["total_value"])
        for group in figures["groups"]
    ] == [
        (
            "sulfide-electrolyte",
            category("sulfide-electrolyte").name_en,
            category("sulfide-electrolyte").name_zh,
            Decimal("100.00"),
        ),
        ("uncategorised", "Uncategorised", "未分类", Decimal("300.00")),
    ]


def test_local_alternatives_skip_the_uncategorised_group(anchor):
    PurchaseLineFactory(buyer=anchor, supplier=None, supplier_name="Foreign Co", category=None)
    year = PurchaseLine.objects.get().invoice_date.year
    groups = lcr_figures(anchor.purchases.all(), year=year, group_by="category")["groups"]

    assert groups[0]["lcr_percent"] == 0
    assert local_alternatives(anchor, groups) == []


def test_the_lcr_page_and_the_purchase_pages_show_uncategorised(client, anchor, supplier):
    line = PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None)
    client.force_login(anchor.owner)

    lcr_page = text_of(
        client.get(reverse("lcr:buyer", args=[anchor.uscc]), HTTP_ACCEPT_LANGUAGE="en")
    )
    list_page = text_of(client.get(reverse("purchases:upload", args=[anchor.uscc])))
    line_page = client.get(reverse("purchases:line", args=[anchor.uscc, line.pk]))

    assert "Uncategorised" in lcr_page
    assert "Uncategorised" in list_page
    assert line_page.status_code == 200


def test_the_api_gives_an_uncategorised_line_a_null_category(api_client, anchor, supplier):
    PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None)
    api_client.force_authenticate(anchor.owner)

    response = api_client.get("/api/v1/purchases/")

    assert response.status_code == 200
    assert response.json()["results"][0]["category"] is None


def test_the_api_lists_the_uncategorised_lines_by_their_filter(api_client, anchor, supplier):
    uncategorised = PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None)
    categorised = PurchaseLineFactory(buyer=anchor, supplier=supplier)
    api_client.force_authenticate(anchor.owner)

    def ids(category: str) -> list[int]:
        response = api_client.get("/api/v1/purchases/", {"category": category})
        return [line["id"] for line in response.json()["results"]]

    assert ids("uncategorised") == [uncategorised.pk]
    assert ids("sulfide-electrolyte") == [categorised.pk]


def test_an_uncategorised_line_is_never_claimable(anchor, supplier):
    programme = ProgrammeFactory()
    programme.eligible_categories.set(SupplyCategory.objects.all())
    line = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, category=None, confirmation="confirmed"
    )
    application = ApplicationFactory(programme=programme, applicant=anchor)

    assert not claimable_lines(application).filter(pk=line.pk).exists()


# --- the page where the buyer sorts its item names -------------------------------------------


def test_the_page_lists_the_uncategorised_item_names_with_count_value_and_newest_date(
    client, anchor, supplier
):
    PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        category=None,
        description="隔膜胶带",
        amount=Decimal("10.00"),
    )
    PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        category=None,
        description="*胶带*隔膜胶带 ",
        amount=Decimal("5.00"),
    )
    PurchaseLineFactory(buyer=anchor, supplier=supplier, description="硫化物电解质粉体")
    client.force_login(anchor.owner)

    response = client.get(page_url(anchor), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    [item] = uncategorised_items(anchor)
    assert (item.name, item.lines, item.value) == ("隔膜胶带", 2, Decimal("15.00"))
    assert "隔膜胶带" in text_of(response)
    assert "硫化物电解质粉体" not in text_of(response)


def test_the_page_says_when_there_is_nothing_to_sort(client, anchor):
    client.force_login(anchor.owner)

    response = client.get(page_url(anchor), HTTP_ACCEPT_LANGUAGE="en")

    assert "nothing to sort" in text_of(response)


def test_saving_a_mapping_categorises_the_existing_lines_and_keeps_revisions(
    client, anchor, supplier
):
    lines = [
        PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, description=name)
        for name in ("隔膜胶带", "隔膜 胶带", "其他")
    ]
    categorised = PurchaseLineFactory(
        buyer=anchor, supplier=supplier, description="隔膜胶带", category=category("anode")
    )
    client.force_login(anchor.owner)

    response = client.post(
        page_url(anchor), {"item_name": "隔膜胶带", "category": category("cathode").pk}
    )

    assert response.status_code == 302
    mapping = PurchaseItemCategory.objects.get()
    assert (mapping.buyer, mapping.item_key, mapping.category.slug, mapping.saved_by) == (
        anchor,
        "隔膜胶带",
        "cathode",
        anchor.owner,
    )
    assert [PurchaseLine.objects.get(pk=line.pk).category_id for line in lines] == [
        category("cathode").pk,
        None,  # "隔膜 胶带" has a space inside: another name
        None,
    ]
    assert PurchaseLine.objects.get(pk=categorised.pk).category.slug == "anode"
    revision = PurchaseLineRevision.objects.get()
    assert (revision.line_id, revision.changed_by) == (lines[0].pk, anchor.owner)
    assert revision.previous_values["category_id"] is None
    assert revision.previous_values["amount"] == str(lines[0].amount)


def test_a_held_line_gets_a_pending_correction_instead(anchor, supplier):
    line = PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, description="胶带")
    purchase_line_holds_set(holder="test", holder_id=1, line_ids=[line.pk])

    outcome = item_category_save(
        actor=anchor.owner, buyer=anchor, item_name="胶带", category_id=category("cathode").pk
    )

    assert (outcome.categorised, outcome.pending) == (0, 1)
    assert PurchaseLine.objects.get(pk=line.pk).category is None
    assert not PurchaseLineRevision.objects.exists()
    correction = PurchaseLineCorrection.objects.get()
    assert correction.status == CorrectionStatus.PENDING
    assert correction.current_values["category_id"] is None
    assert correction.proposed_values["category_id"] == category("cathode").pk


def test_the_next_import_uses_the_saved_mapping(client, anchor, supplier):
    import_file(anchor, vat_export(supplier, ("隔膜胶带", "10.00")))
    client.force_login(anchor.owner)
    client.post(page_url(anchor), {"item_name": "隔膜胶带", "category": category("cathode").pk})
    data = vat_export(supplier, ("隔膜胶带", "10.00"), ("*胶带*隔膜胶带", "20.00"))

    _import, outcome = import_file(anchor, data.replace(b"00000001", b"00000002"))

    assert outcome.errors == []
    assert set(PurchaseLine.objects.values_list("category__slug", flat=True)) == {"cathode"}


def test_a_saved_mapping_can_be_changed_and_deleted(client, anchor):
    client.force_login(anchor.owner)
    client.post(page_url(anchor), {"item_name": "胶带", "category": category("cathode").pk})
    client.post(page_url(anchor), {"item_name": "胶带 ", "category": category("anode").pk})
    mapping = PurchaseItemCategory.objects.get()
    assert mapping.category.slug == "anode"

    response = client.post(page_url(anchor), {"delete": mapping.pk})

    assert response.status_code == 302
    assert not PurchaseItemCategory.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"item_name": "胶带", "category": "999999"},
            "Category",
            "Choose one of the supply categories",
        ),
        ({"item_name": "胶带", "category": ""}, "Category", "Choose one of the supply categories"),
        ({"item_name": "  ", "category": "CATEGORY"}, "Item name", "Give the item name"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    client, anchor, supplier, data, field, message
):
    PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, description="胶带")
    if data["category"] == "CATEGORY":
        data = {**data, "category": category("cathode").pk}
    client.force_login(anchor.owner)

    response = client.post(page_url(anchor), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert f"{field}: {message}" in text_of(response)
    assert not PurchaseItemCategory.objects.exists()
    assert PurchaseLine.objects.get().category is None


def test_another_firms_member_gets_404_and_changes_nothing(client, anchor, supplier):
    PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, description="胶带")
    mapping = PurchaseItemCategory.objects.create(
        buyer=anchor, item_name="其他", item_key="其他", category=category("cathode")
    )
    stranger = MembershipFactory(enterprise=EnterpriseFactory(kind="anchor")).user
    client.force_login(stranger)

    assert client.get(page_url(anchor)).status_code == 404
    assert (
        client.post(
            page_url(anchor), {"item_name": "胶带", "category": category("anode").pk}
        ).status_code
        == 404
    )
    assert client.post(page_url(anchor), {"delete": mapping.pk}).status_code == 404
    assert PurchaseItemCategory.objects.count() == 1
    assert PurchaseLine.objects.get().category is None


def test_a_member_cannot_delete_another_buyers_mapping(client, anchor, sme):
    others = PurchaseItemCategory.objects.create(
        buyer=sme, item_name="其他", item_key="其他", category=category("cathode")
    )
    client.force_login(anchor.owner)

    assert client.post(page_url(anchor), {"delete": others.pk}).status_code == 404
    assert PurchaseItemCategory.objects.filter(pk=others.pk).exists()


def test_an_official_may_view_but_not_change(client, anchor, official, supplier):
    PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, description="胶带")
    client.force_login(official)

    response = client.get(page_url(anchor))

    assert response.status_code == 200
    assert "胶带" in text_of(response)
    assert 'name="category"' not in response.content.decode()
    assert (
        client.post(
            page_url(anchor), {"item_name": "胶带", "category": category("anode").pk}
        ).status_code
        == 404
    )


def test_the_page_takes_a_bounded_number_of_queries(
    client, anchor, supplier, django_assert_max_num_queries
):
    for index in range(30):
        PurchaseLineFactory(
            buyer=anchor, supplier=supplier, category=None, description=f"品名{index}"
        )
    for index in range(30):
        PurchaseItemCategory.objects.create(
            buyer=anchor,
            item_name=f"已存{index}",
            item_key=f"已存{index}",
            category=category("cathode"),
            saved_by=anchor.owner,
        )
    client.force_login(anchor.owner)

    with django_assert_max_num_queries(14):
        response = client.get(page_url(anchor))

    assert response.status_code == 200


def test_saving_takes_a_bounded_number_of_queries(anchor, supplier, django_assert_max_num_queries):
    for _index in range(40):
        PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None, description="胶带")

    # 18, and the LCR ledger's refresh (the lines' years, DELETE, INSERT ... SELECT, and the
    # same two for its rollup and its year table) with its figures' version bumped in the
    # database cache: 29, whatever the number of lines.
    with django_assert_max_num_queries(29):
        outcome = item_category_save(
            actor=anchor.owner, buyer=anchor, item_name="胶带", category_id=category("cathode").pk
        )

    assert outcome.categorised == 40


def test_an_uncategorised_line_confirmed_by_its_supplier_counts_as_confirmed(anchor, supplier):
    PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        category=None,
        amount=Decimal("300.00"),
        confirmation="confirmed",
    )
    year = PurchaseLine.objects.get().invoice_date.year

    figures = lcr_figures(anchor.purchases.all(), year=year)

    assert figures["confirmed_value"] == Decimal("300.00")


def test_the_chinese_pages_say_uncategorised_in_chinese(client, anchor, supplier):
    PurchaseLineFactory(buyer=anchor, supplier=supplier, category=None)
    client.force_login(anchor.owner)

    for url in (
        reverse("lcr:buyer", args=[anchor.uscc]),
        reverse("purchases:upload", args=[anchor.uscc]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert "未分类" in text_of(response)
