"""The shared reader's dates, as Chinese tax and ERP systems write them, and its headers that
stand in for one another (issue 15)."""

import datetime

import pytest

from ssb_portal import tabular


@pytest.mark.parametrize(
    "cell",
    [
        "2026-04-01",
        "2026-4-1",
        "2026/4/1",
        "2026/04/01",
        "2026年04月01日",
        "2026年4月1日",
        "２０２６年４月１日",
        "2026-04-01 00:00:00",
        datetime.datetime(2026, 4, 1, 9, 30),
        datetime.date(2026, 4, 1),
    ],
)
def test_dates_are_read_in_every_form_chinese_systems_write_them(cell):
    assert tabular.cell_date(cell) == datetime.date(2026, 4, 1)


@pytest.mark.parametrize("cell", ["01.04.2026", "2026-02-30", "4/1/2026", "2026年4月", ""])
def test_other_dates_are_refused_naming_the_forms_accepted(cell):
    with pytest.raises(ValueError, match="2026-03-31, 2026/3/31 or 2026年3月31日"):
        tabular.cell_date(cell)


def test_a_header_needs_one_of_the_columns_that_stand_in_for_one_another():
    with pytest.raises(tabular.TableError) as caught:
        tabular.map_header(
            ["code"],
            columns=("code", "net", "gross"),
            aliases={},
            required=("code",),
            one_of=[("net", "gross")],
        )

    [problem] = caught.value.errors
    assert (problem.row, problem.column) == (tabular.HEADER_ROW, "net")
    assert "“net”, “gross”" in problem.message


def test_aliases_match_in_any_case_spacing_and_width():
    header = tabular.map_header(
        ["net  AMOUNT", "（税额）"],
        columns=("amount", "vat"),
        aliases={"Net Amount": "amount", "(税额)": "vat"},
        required=(),
    )

    assert header.columns == [(0, "amount"), (1, "vat")]
