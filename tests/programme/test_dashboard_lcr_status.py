"""The programme dashboard's LCR: a published year shows its official (frozen) figure, the
others are provisional with the share of their local value the suppliers confirmed (issue 15)."""

from decimal import Decimal

from directory.lcr.services import lcr_year_publish
from directory.models import PurchaseLine
from programme.selectors.lcr_and_directory import lcr_section
from tests.factories import EnterpriseFactory, PurchaseLineFactory, outside_district


def test_a_published_year_shows_its_frozen_figure_and_the_current_one_is_provisional(official):
    remote = EnterpriseFactory(district=outside_district())
    PurchaseLineFactory(invoice_date="2025-05-01", confirmation="confirmed")
    PurchaseLineFactory(invoice_date="2025-05-02", supplier=remote)
    PurchaseLineFactory(invoice_date="2026-05-01", confirmation="confirmed")
    PurchaseLineFactory(invoice_date="2026-05-02")
    lcr_year_publish(actor=official, year=2025)  # 50.00 %, frozen
    # A line added to 2025 afterwards moves the live figure, never the official one.
    PurchaseLine.objects.filter(supplier=remote).update(amount=Decimal("300000.00"))

    section = lcr_section(names_firms=False)

    by_year = {figure.year: figure for figure in section.indicators[0].series}
    assert by_year[2025].value == Decimal("50.00")
    assert by_year[2026].value == Decimal("100.00")
    assert any("2025" in note and "official" in note for note in section.notes)
    assert any(
        note.startswith("2026 is provisional") and "confirmed 50.00 %" in note
        for note in section.notes
    )
