"""Every CSV and XLSX the portal hands out is safe to open: no cell a user's text reached
runs as a formula (OWASP "CSV injection"), and numbers stay numbers.

The test walks every export URL of the URL conf with data carrying hostile names; a new
export URL fails `test_every_export_url_is_walked` until it is added to EXPORTS below.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from directory.models import PurchaseImport
from ssb_portal import exports
from subsidies.models import Application, DisbursementBatch, KpiTarget
from tests.factories import (
    ApplicationFactory,
    EnterpriseFactory,
    ProductFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    UniversityFactory,
)
from tests.talent.pages_support import graduate

pytestmark = pytest.mark.django_db

HOSTILE = ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ROOT = Path(__file__).resolve().parent.parent


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, prefix + str(pattern.pattern)


def export_url_names() -> set[str]:
    """Every URL of the URL conf whose name or path says it is an export or a spreadsheet."""
    return {
        name
        for name, path in _walk(get_resolver().url_patterns)
        if re.search(r"export|csv|xlsx", f"{name} {path}", re.IGNORECASE)
    }


# URL name -> (formats, who asks); arguments come from the hostile world.
EXPORTS = {
    "directory:export": (("csv", "xlsx"), "anonymous"),
    "lcr:export": (("csv", "xlsx"), "official"),
    "purchases:template": (("csv", "xlsx"), "anonymous"),
    "purchases:import_errors": (("csv",), "member"),
    "subsidies:awards_csv": (("csv",), "anonymous"),
    "subsidies:rd_kpis_csv": (("csv",), "official"),
    "talent:dashboard_export": (("csv", "xlsx"), "anonymous"),
    "talent:graduates_template": (("csv", "xlsx"), "anonymous"),
    "programme:dashboard_csv": (("csv",), "anonymous"),
    "programme:officials_csv": (("csv",), "official"),
    "admin:subsidies_disbursementbatch_export": (("xlsx",), "official"),
}
#: Templates hold only the portal's own columns and examples: no user text reaches them.
FIXED_CONTENT = {"purchases:template", "talent:graduates_template"}
#: Exports that are no spreadsheet (JSON): no program reads their text as a formula.
NOT_SPREADSHEETS = {"api:passport-export"}


def test_every_export_url_is_walked():
    assert export_url_names() == set(EXPORTS) | NOT_SPREADSHEETS


@pytest.fixture
def hostile_world(official, anchor):
    """Enterprises, a programme, awards, purchases, graduates and a refused import whose
    names are formulas."""
    anchor.name_zh, anchor.name_en = HOSTILE[0], HOSTILE[1]
    anchor.contact_person, anchor.phone, anchor.website = HOSTILE[2], HOSTILE[3], HOSTILE[4]
    anchor.save()
    supplier = EnterpriseFactory(name_zh=HOSTILE[2], name_en=HOSTILE[5])
    ProductFactory(enterprise=supplier, name=HOSTILE[3])
    programme = ProgrammeFactory(kind="rd_fund", name_zh=HOSTILE[5], name_en=HOSTILE[0])
    batch = DisbursementBatch.objects.create(reference="=HYPERLINK(1)", created_by=official)
    award = ApplicationFactory(
        programme=programme,
        applicant=anchor,
        status="disbursed",
        awarded_amount_cny=Decimal("19500.03"),
        decided_at=timezone.now(),
        disbursement_batch=batch,
    )
    KpiTarget.objects.create(
        application=award, kpi="ionic_conductivity", baseline_value=1e-3, target_value=5e-3
    )
    KpiTarget.objects.create(application=award, kpi="cost", baseline_value=100, target_value=60)
    PurchaseLineFactory(buyer=anchor, supplier=supplier, supplier_name=HOSTILE[2])
    university = UniversityFactory(name_zh=HOSTILE[3], name_en=HOSTILE[4])
    graduate(university, "A1", "local_ssb", employer=anchor)
    failed = PurchaseImport.objects.create(
        buyer=anchor,
        source="upload",
        filename="=evil.csv",
        status="failed",
        errors=[{"row": 2, "column": HOSTILE[0], "message": HOSTILE[3]}],
    )
    return {"anchor": anchor, "batch": batch, "award": award, "failed": failed}


def _url(name: str, fmt: str, world) -> str:
    if name == "purchases:import_errors":
        return reverse(name, args=[world["anchor"].uscc, world["failed"].pk])
    if name == "admin:subsidies_disbursementbatch_export":
        return reverse(name, args=[world["batch"].pk])
    try:
        return reverse(name, kwargs={"fmt": fmt})
    except NoReverseMatch:  # the URL serves one format
        return reverse(name)


def cells(content: bytes, fmt: str) -> list:
    """Every cell of a CSV (text) or XLSX (openpyxl cells) export."""
    if fmt == "csv":
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return [value for row in rows for value in row]
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def live(cell) -> bool:
    """A cell a spreadsheet program would run."""
    if isinstance(cell, str):
        return cell.startswith(TRIGGERS)
    text = cell.value if isinstance(cell.value, str) else ""
    return cell.data_type == "f" or text.startswith(TRIGGERS)


def _text_of(cell) -> str:
    return cell if isinstance(cell, str) else str(cell.value or "")


@pytest.mark.parametrize(
    ("name", "fmt"), [(name, fmt) for name, (fmts, _who) in EXPORTS.items() for fmt in fmts]
)
def test_no_export_writes_a_live_formula(client, hostile_world, official, anchor, name, fmt):
    who = EXPORTS[name][1]
    if who == "official":
        client.force_login(official)
    elif who == "member":
        client.force_login(anchor.owner)

    response = client.get(_url(name, fmt, hostile_world))

    assert response.status_code == 200, response.content[:500]
    found = cells(response.content, fmt)
    assert found
    assert [cell for cell in found if live(cell)] == []
    if name not in FIXED_CONTENT:
        # The hostile names did reach the export (neutralised, or inside a longer text).
        texts = {_text_of(cell) for cell in found}
        assert any(hostile in text for hostile in HOSTILE for text in texts), texts


# --- the writer ------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_text_starting_with_a_trigger_is_quoted(hostile):
    assert exports.safe_text(hostile) == "'" + hostile
    assert exports.safe_text("SSB " + hostile) == "SSB " + hostile


def test_numbers_stay_numbers_and_only_text_is_escaped():
    header = ["name", "amount", "count", "ratio", "day"]
    rows = [["-2+3", Decimal("-1500.50"), -3, -0.25, datetime.date(2026, 3, 15)]]

    text = exports.csv_content(header, rows).decode("utf-8-sig")
    sheet = openpyxl.load_workbook(
        io.BytesIO(exports.xlsx_content(exports.Sheet("s", header, rows)))
    ).active

    assert text.splitlines()[1] == "'-2+3,-1500.50,-3,-0.25,2026-03-15"
    name, amount, count, ratio, day = sheet[2]
    assert (name.value, name.data_type) == ("'-2+3", "s")
    assert (amount.value, amount.data_type) == (-1500.5, "n")
    assert (count.value, ratio.value) == (-3, -0.25)
    assert day.value == datetime.datetime(2026, 3, 15)


def test_xlsx_text_is_text_even_without_a_trigger_quote():
    sheet = openpyxl.load_workbook(
        io.BytesIO(exports.xlsx_content(exports.Sheet("s", ["a"], [["=1+2"], ["SUM(A1)"]])))
    ).active

    assert [(cell.value, cell.data_type) for (cell,) in sheet.iter_rows()] == [
        ("a", "s"),
        ("'=1+2", "s"),
        ("SUM(A1)", "s"),
    ]


WRITERS = re.compile(
    r"csv\.writer|csv\.DictWriter|\.to_csv\(|\.to_excel\(|ExcelWriter|openpyxl\.Workbook|"
    r"from openpyxl import Workbook"
)


def test_the_kit_is_the_only_writer_of_spreadsheets():
    """bench/ writes its own data files; tests build input files to upload."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "bench", "node_modules"}:
            continue
        if relative == Path("ssb_portal/exports.py"):
            continue
        if WRITERS.search(path.read_text(encoding="utf-8")):
            offenders.append(str(relative))
    assert offenders == []


def test_query_count_of_the_awards_export_does_not_grow(
    client, hostile_world, django_assert_max_num_queries
):
    award = hostile_world["award"]
    for _ in range(5):
        Application.objects.create(
            programme=award.programme,
            kind=award.kind,
            applicant=EnterpriseFactory(),
            status="disbursed",
            awarded_amount_cny=Decimal("100.00"),
            decided_at=timezone.now(),
        )
    with django_assert_max_num_queries(4):
        response = client.get(reverse("subsidies:awards_csv"))
    assert response.status_code == 200
