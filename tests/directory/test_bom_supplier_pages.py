"""The supplier's pages of a product's bills of materials: declare (lines in a formset, or the
origins of a safe-harbour table's classes), change a bill still waiting, correct a returned
one, and see each bill's state, history and computed share."""

from decimal import Decimal

import pytest
from django.urls import reverse

from directory.composition.services import bom_declare, bom_return
from directory.models import (
    BillOfMaterials,
    BomLine,
    BomStatus,
    SafeHarbourClass,
    SafeHarbourTable,
)
from tests.directory.bom_support import declare_and_verify, line
from tests.factories import MembershipFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(sme):
    return ProductFactory(enterprise=sme, name="Demo pack 48V")


@pytest.fixture
def member_client(client, sme):
    client.force_login(sme.owner)
    return client


def _list_url(product):
    return reverse("directory:bom_list", args=[product.enterprise.uscc, product.pk])


def _declare_url(product):
    return reverse("directory:bom_declare", args=[product.enterprise.uscc, product.pk])


def _lines(*rows, unit="percent", prefix="lines"):
    """The POST of a bill: `rows` are dicts of a line's fields."""
    data = {
        "cost_unit": unit,
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        for name, value in {"kind": "material", **row}.items():
            data[f"{prefix}-{number}-{name}"] = value
    return data


def test_the_page_without_bills_says_so_and_offers_to_declare(member_client, product):
    page = member_client.get(_list_url(product))
    assert page.status_code == 200
    text = page.content.decode()
    assert "No bill of materials yet" in text
    assert _declare_url(product) in text


def test_a_member_declares_a_bill_with_a_linked_component_and_sees_it_waiting(
    member_client, product
):
    cell = ProductFactory(name="Demo cell 21700")
    data = _lines(
        {"description": "cells", "origin": "local", "cost": "60", "component": "Demo cell"},
        {"description": "assembly", "kind": "labour", "cost": "30", "local_share": "100"},
        {"description": "housing", "origin": "abroad", "cost": "10"},
        {"description": "", "origin": "", "cost": ""},  # a blank extra line is left out
    )
    answer = member_client.post(_declare_url(product), data)
    assert answer.status_code == 302 and answer.url == _list_url(product)
    bom = BillOfMaterials.objects.get(product=product)
    assert bom.status == BomStatus.SUBMITTED
    assert list(bom.lines.values_list("description", "component_id")) == [
        ("cells", cell.pk),
        ("assembly", None),
        ("housing", None),
    ]
    page = member_client.get(answer.url).content.decode()
    assert "was sent to the officials" in page
    assert "Submitted for verification" in page and "Demo cell 21700" in page


def test_bad_lines_are_shown_on_the_line_and_field_and_nothing_is_saved(member_client, product):
    data = _lines(
        {"description": "cells", "origin": "local", "cost": "60"},
        {"description": "assembly", "kind": "labour", "cost": "30", "local_share": ""},
        {"description": "resold salt", "kind": "resale", "origin": "", "cost": "10"},
    )
    answer = member_client.post(_declare_url(product), data)
    assert answer.status_code == 400
    formset = answer.context["formset"]
    assert formset.forms[0].errors == {}
    assert "Line 2:" in formset.forms[1].errors["local_share"][0]
    assert "Line 3:" in formset.forms[2].errors["origin"][0]
    assert "source of resold goods" in answer.content.decode()
    assert not BillOfMaterials.objects.exists() and not BomLine.objects.exists()


def test_a_number_that_is_no_number_is_named_on_its_line(member_client, product):
    data = _lines({"description": "cells", "origin": "local", "cost": "sixty"})
    answer = member_client.post(_declare_url(product), data)
    assert answer.status_code == 400
    assert answer.context["formset"].forms[0].errors["cost"]
    assert not BillOfMaterials.objects.exists()


def test_shares_that_do_not_sum_to_100_are_said_above_the_lines(member_client, product):
    data = _lines({"description": "cells", "origin": "local", "cost": "60"})
    answer = member_client.post(_declare_url(product), data)
    assert answer.status_code == 400
    assert "not 100 %" in answer.content.decode()
    assert not BillOfMaterials.objects.exists()


def test_an_ambiguous_component_name_lists_the_candidates_to_pick_from(member_client, product):
    first = ProductFactory(name="Cell A1")
    ProductFactory(name="Cell A2")
    data = _lines({"description": "cells", "origin": "local", "cost": "100", "component": "Cell"})
    answer = member_client.post(_declare_url(product), data)
    assert answer.status_code == 400
    error = answer.context["formset"].forms[0].errors["component"][0]
    assert f"#{first.pk}" in error
    data["lines-0-component"] = f"#{first.pk}"
    assert member_client.post(_declare_url(product), data).status_code == 302
    assert BomLine.objects.get().component == first


def test_add_a_line_keeps_what_was_typed_and_saves_nothing(member_client, product):
    data = _lines({"description": "cells", "origin": "local", "cost": "60"})
    data["add_line"] = "1"
    answer = member_client.post(_declare_url(product), data)
    assert answer.status_code == 200
    formset = answer.context["formset"]
    assert len(formset.forms) == 2
    assert 'value="cells"' in answer.content.decode()
    assert not BillOfMaterials.objects.exists()


def test_another_organisations_member_gets_404_on_every_page(client, product, official):
    stranger = MembershipFactory().user
    bom = bom_declare(
        actor=product.enterprise.owner, product=product, lines=[line("all", cost=100)]
    )
    client.force_login(stranger)
    uscc = product.enterprise.uscc
    for url in (
        _list_url(product),
        _declare_url(product),
        reverse("directory:bom_edit", args=[uscc, product.pk, bom.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, _lines({"description": "x", "cost": "100"})).status_code == 404
    assert BillOfMaterials.objects.count() == 1


def test_a_waiting_bill_is_changed_in_place_and_its_history_says_so(member_client, product):
    owner = product.enterprise.owner
    bom = bom_declare(actor=owner, product=product, lines=[line("all", cost=100)])
    url = reverse("directory:bom_edit", args=[product.enterprise.uscc, product.pk, bom.pk])
    page = member_client.get(url)
    assert page.status_code == 200 and 'value="all"' in page.content.decode()
    data = _lines(
        {"description": "cells", "origin": "local", "cost": "70"},
        {"description": "cathode", "origin": "abroad", "cost": "30"},
    )
    assert member_client.post(url, data).status_code == 302
    bom.refresh_from_db()
    assert bom.status == BomStatus.SUBMITTED
    assert list(bom.lines.values_list("description", flat=True)) == ["cells", "cathode"]
    assert "Changed by the supplier" in member_client.get(_list_url(product)).content.decode()


def test_a_verified_bill_cannot_be_changed(member_client, product, official):
    bom = declare_and_verify(official, product.enterprise.owner, product, [line("all", cost=100)])
    url = reverse("directory:bom_edit", args=[product.enterprise.uscc, product.pk, bom.pk])
    answer = member_client.post(url, _lines({"description": "x", "origin": "local", "cost": "100"}))
    assert answer.status_code == 302
    assert list(bom.lines.values_list("description", flat=True)) == ["all"]
    assert "Only a bill waiting for verification" in member_client.get(answer.url).content.decode()


def test_a_returned_bill_is_corrected_as_a_new_one_prefilled_from_it(
    member_client, product, official
):
    owner = product.enterprise.owner
    returned = bom_declare(actor=owner, product=product, lines=[line("all parts", cost=100)])
    bom_return(actor=official, bom=returned, reason="Split the cathode out.")
    listing = member_client.get(_list_url(product)).content.decode()
    assert "Split the cathode out." in listing
    url = f"{_declare_url(product)}?corrects={returned.pk}"
    assert 'value="all parts"' in member_client.get(url).content.decode()
    data = _lines(
        {"description": "cells", "origin": "local", "cost": "70"},
        {"description": "cathode", "origin": "abroad", "cost": "30"},
    )
    assert member_client.post(url, data).status_code == 302
    new = BillOfMaterials.objects.exclude(pk=returned.pk).get()
    assert new.status == BomStatus.SUBMITTED
    assert "Corrects the returned bill" in new.status_changes.get().reason


def test_the_list_shows_the_computed_share_and_validity_of_a_verified_bill(
    member_client, product, official
):
    declare_and_verify(
        official,
        product.enterprise.owner,
        product,
        [line("cells", cost=80), line("cathode", cost=20, origin="abroad")],
    )
    page = member_client.get(_list_url(product)).content.decode()
    assert "80.00 %" in page and "Verified" in page


def test_the_list_reads_each_bill_with_a_fixed_number_of_queries(
    member_client, product, official, django_assert_max_num_queries
):
    owner = product.enterprise.owner
    for _number in range(4):
        bom = bom_declare(
            actor=owner, product=product, lines=[line("a", cost=50), line("b", cost=50)]
        )
        bom_return(actor=official, bom=bom, reason="again")
    with django_assert_max_num_queries(12):
        assert member_client.get(_list_url(product)).status_code == 200


@pytest.fixture
def harbour(product):
    table = SafeHarbourTable.objects.create(category=product.category)
    return [
        SafeHarbourClass.objects.create(
            table=table, name_zh="电芯", name_en="Cells", cost_share=Decimal("70"), sort_order=1
        ),
        SafeHarbourClass.objects.create(
            table=table, name_zh="外壳", name_en="Housing", cost_share=Decimal("30"), sort_order=2
        ),
    ]


def test_in_safe_harbour_mode_the_supplier_states_only_each_classs_origin(
    member_client, product, harbour
):
    url = f"{_declare_url(product)}?mode=safe-harbour"
    page = member_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cells" in text and "70.00 %" in text
    data = {
        "harbour-TOTAL_FORMS": "2",
        "harbour-INITIAL_FORMS": "2",
        "harbour-MIN_NUM_FORMS": "0",
        "harbour-MAX_NUM_FORMS": "1000",
        "harbour-0-component_class": str(harbour[0].pk),
        "harbour-0-origin": "local",
        "harbour-1-component_class": str(harbour[1].pk),
        "harbour-1-origin": "",
    }
    answer = member_client.post(url, data)
    assert answer.status_code == 400
    assert answer.context["formset"].forms[1].errors["origin"]
    data["harbour-1-origin"] = "abroad"
    assert member_client.post(url, data).status_code == 302
    bom = BillOfMaterials.objects.get()
    assert bom.safe_harbour is not None
    assert list(bom.lines.values_list("component_class_id", "origin")) == [
        (harbour[0].pk, "local"),
        (harbour[1].pk, "abroad"),
    ]


def test_the_product_and_enterprise_pages_link_to_the_bills(member_client, product):
    uscc = product.enterprise.uscc
    for page in ("directory:my_enterprise",):
        assert _list_url(product) in member_client.get(reverse(page, args=[uscc])).content.decode()
    edit = reverse("directory:product_edit", args=[uscc, product.pk])
    assert _list_url(product) in member_client.get(edit).content.decode()
