"""`manage.py import_purchases FILE --buyer USCC`: the same reader and service as the upload."""

import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import PurchaseImport, PurchaseImportSource, PurchaseLine

HEADER = "invoice_no,line_no,invoice_date,supplier_name,category,amount"


@pytest.fixture
def write_csv(tmp_path):
    def write(*lines: str, name: str = "purchases.csv"):
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def run(path, buyer: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_purchases", str(path), "--buyer", buyer, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_the_file_and_prints_the_summary(anchor, write_csv):
    path = write_csv(
        HEADER, "0001,1,2026-03-31,Acme,cathode,10.00", "0001,2,2026-03-31,Acme,anode,5"
    )

    out, err = run(path, anchor.uscc)

    assert out.strip() == "2 new, 0 updated, 0 unchanged"
    assert err == ""
    purchase_import = PurchaseImport.objects.get()
    assert purchase_import.source == PurchaseImportSource.COMMAND
    assert purchase_import.submitted_by is None
    assert purchase_import.filename == "purchases.csv"
    assert set(PurchaseLine.objects.values_list("invoice_no", flat=True)) == {"0001"}


def test_command_run_again_on_the_same_file_changes_nothing(anchor, write_csv):
    path = write_csv(HEADER, "0001,1,2026-03-31,Acme,cathode,10.00")
    run(path, anchor.uscc)

    out, _err = run(path, anchor.uscc)

    assert out.strip() == "0 new, 0 updated, 1 unchanged"


def test_command_prints_every_problem_and_exits_with_status_1(anchor, write_csv):
    path = write_csv(
        HEADER,
        "0001,1,2026-03-31,Acme,cathode,10.00",
        "0002,x,2026-03-31,Acme,cathode,10.00",
        "0003,1,2026-02-30,Acme,cathode,abc",
    )

    with pytest.raises(CommandError) as caught:
        run(path, anchor.uscc)

    assert caught.value.returncode == 1
    assert str(caught.value) == "3 problems; nothing was saved."
    assert not PurchaseLine.objects.exists()


def test_command_problem_lines_name_row_column_and_reason(anchor, write_csv):
    path = write_csv(HEADER, "0001,1,2026-03-31,Acme,cathode,10.005")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 problem; nothing was saved"):
        call_command("import_purchases", str(path), "--buyer", anchor.uscc, stderr=err)

    assert err.getvalue() == ("row 2, amount: At most 2 decimal places are allowed; got 10.005.\n")


def test_command_reports_a_missing_column_as_a_problem_of_row_1(anchor, write_csv):
    path = write_csv("invoice_no,line_no,supplier_name,category,amount", "1,1,A,cathode,1")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_purchases", str(path), "--buyer", anchor.uscc, stderr=err)

    assert (
        err.getvalue()
        == "row 1, invoice_date: The column “invoice_date” is missing from the header row.\n"
    )
    assert not PurchaseImport.objects.exists()


def test_command_names_the_columns_it_ignores(anchor, write_csv):
    path = write_csv(HEADER + ",VAT", "0001,1,2026-03-31,Acme,cathode,10.00,1.30")

    out, _err = run(path, anchor.uscc)

    assert out.splitlines() == ["Ignored columns: VAT", "1 new, 0 updated, 0 unchanged"]


def test_command_refuses_an_unknown_buyer(db, write_csv):
    path = write_csv(HEADER, "0001,1,2026-03-31,Acme,cathode,10.00")

    with pytest.raises(CommandError, match="No enterprise with the code 91330100MA2H3K4L50"):
        run(path, "91330100ma2h3k4l50")


def test_command_refuses_a_file_it_cannot_read(anchor, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv", anchor.uscc)


def test_command_refuses_a_png_by_its_content(anchor, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_purchases", str(path), "--buyer", anchor.uscc, stderr=err)

    assert err.getvalue().startswith("file: The file is neither CSV text nor an Excel workbook")
