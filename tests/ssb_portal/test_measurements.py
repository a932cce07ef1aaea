"""Reading measurement datasets (CSV/XLSX) into series and fitting them."""

import io
import math

import pytest

from ssb_portal import formulas, measurements
from tests.files import xlsx_bytes

BOLTZMANN = formulas.BOLTZMANN_EV_PER_K
CYCLES = tuple(range(0, 501, 50))


def _sigma(t_k, prefactor=25.0, activation=0.25):
    return prefactor * math.exp(-activation / (BOLTZMANN * t_k))


def conductivity_csv(temps_c=(-20, 0, 25, 40, 60, 80), header="temperature,conductivity"):
    lines = [header] + [f"{t},{_sigma(t + 273.15):.6e}" for t in temps_c]
    return ("\n".join(lines) + "\n").encode()


def capacity_csv(q0=200.0, decay=0.001, cycles=CYCLES, charge=True):
    header = "cycle,discharge capacity" + (",charge capacity" if charge else "")
    lines = [header]
    for n in cycles:
        q = q0 * (1 - decay) ** n
        lines.append(f"{n},{q:.5f}" + (f",{q / 0.995:.5f}" if charge else ""))
    return ("\n".join(lines) + "\n").encode()


def test_conductivity_csv_in_celsius_recovers_arrhenius_parameters():
    series = measurements.parse_dataset(conductivity_csv(), "conductivity", "C")
    assert series["format"] == "csv"
    assert series["temperature"][:2] == [-20.0, 0.0]
    assert series["rows"] == [2, 3, 4, 5, 6, 7]
    fit = measurements.fit_series(series)
    assert fit["activation_energy_ev"] == pytest.approx(0.25, rel=1e-3)
    assert fit["conductivity_25c_s_per_cm"] == pytest.approx(_sigma(298.15), rel=1e-3)
    assert fit["r_squared"] > 0.999
    assert fit["units"]["conductivity_25c_s_per_cm"] == "S/cm"


def test_kelvin_and_celsius_give_the_same_fit():
    kelvin = b"T (K),sigma (S/cm)\n" + b"".join(
        f"{t + 273.15},{_sigma(t + 273.15)}\n".encode() for t in (0, 25, 50, 75)
    )
    celsius = conductivity_csv((0, 25, 50, 75))
    fit_k = measurements.fit_series(measurements.parse_dataset(kelvin, "conductivity", "K"))
    fit_c = measurements.fit_series(measurements.parse_dataset(celsius, "conductivity", "C"))
    assert fit_k["activation_energy_ev"] == pytest.approx(fit_c["activation_energy_ev"])


def test_chinese_headers_and_xlsx_are_read():
    content = xlsx_bytes(
        ["温度 (°C)", "离子电导率 (S/cm)"], *([t, _sigma(t + 273.15)] for t in (-10, 20, 50, 80))
    )
    series = measurements.parse_dataset(content, "conductivity", "C")
    assert series["format"] == "xlsx"
    assert len(series["conductivity"]) == 4


def test_capacity_fit_with_charge_gives_decay_cycles_to_80_and_efficiency():
    series = measurements.parse_dataset(capacity_csv(), "capacity")
    assert series["cycle"][:3] == [0, 50, 100]
    fit = measurements.fit_series(series)
    assert fit["initial_capacity"] == pytest.approx(200.0, rel=1e-4)
    assert fit["decay_percent_per_cycle"] == pytest.approx(0.1, rel=1e-3)
    assert fit["cycles_to_80_percent"] == pytest.approx(math.log(0.8) / math.log(0.999), rel=1e-3)
    assert fit["coulombic_efficiency_percent"] == pytest.approx(99.5, rel=1e-4)


def test_capacity_without_charge_has_no_efficiency():
    content = "循环次数,放电容量 (mAh/g)\n1,200\n2,199.8\n3,199.6\n".encode()
    series = measurements.parse_dataset(content, "capacity")
    assert series["charge"] is None
    assert measurements.fit_series(series)["coulombic_efficiency_percent"] is None


def test_non_positive_conductivity_names_row_and_column():
    content = b"temperature,conductivity\n0,1e-4\n25,2e-4\n50,-3e-4\n75,abc\n"
    with pytest.raises(measurements.DatasetError) as caught:
        measurements.parse_dataset(content, "conductivity", "C")
    assert caught.value.messages == [
        "row 4, conductivity: must be positive",
        "row 5, conductivity: not a number",
    ]


def test_fewer_than_three_temperatures_is_refused():
    content = b"temperature,conductivity\n25,1e-4\n25,1.1e-4\n50,2e-4\n"
    with pytest.raises(measurements.DatasetError) as caught:
        measurements.parse_dataset(content, "conductivity", "C")
    assert "at least 3 different temperatures" in str(caught.value)


def test_missing_column_is_named():
    with pytest.raises(measurements.DatasetError) as caught:
        measurements.parse_dataset(b"temperature,resistance\n1,2\n", "conductivity", "K")
    assert "row 1, conductivity: no such column" in str(caught.value)


def test_a_pdf_renamed_csv_is_refused_by_content():
    with pytest.raises(measurements.DatasetError) as caught:
        measurements.parse_dataset(b"%PDF-1.7\n...", "conductivity", "C")
    assert "neither a CSV" in str(caught.value)


def test_a_zip_that_is_not_xlsx_and_an_oversize_file_are_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    with pytest.raises(measurements.DatasetError, match="not an XLSX"):
        measurements.detect_format(buffer.getvalue())
    with pytest.raises(measurements.DatasetError, match="limit"):
        measurements.detect_format(b"a" * (measurements.DATASET_MAX_BYTES + 1))
    with pytest.raises(measurements.DatasetError, match="empty"):
        measurements.detect_format(b"")


def test_temperature_unit_is_required_and_kelvin_must_be_positive():
    with pytest.raises(measurements.DatasetError, match="°C or K"):
        measurements.parse_dataset(conductivity_csv(), "conductivity", None)
    with pytest.raises(measurements.DatasetError, match="row 2, temperature: must be above 0 K"):
        measurements.parse_dataset(conductivity_csv(), "conductivity", "K")


def test_negative_or_fractional_cycle_is_refused():
    content = b"cycle,discharge\n0,200\n1.5,199\n-2,198\n3,197\n"
    with pytest.raises(measurements.DatasetError) as caught:
        measurements.parse_dataset(content, "capacity")
    assert [e.row for e in caught.value.errors] == [3, 4]


def test_plot_points_and_fitted_line_share_axes():
    series = measurements.parse_dataset(conductivity_csv(), "conductivity", "C")
    fit = measurements.fit_series(series)
    points = measurements.plot_points(series)
    line = measurements.fitted_line(series, fit)
    assert points[0][0] == pytest.approx(1000 / 253.15)
    assert line[-1][0] == pytest.approx(1000 / 253.15)  # x grows as T falls
    assert line[-1][1] == pytest.approx(math.log(_sigma(253.15)), rel=1e-3)
