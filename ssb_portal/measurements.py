"""Measurement datasets: read a CSV or XLSX an uploader sends into plain series, then fit them.

Two kinds of dataset are read:

* ``conductivity``: a temperature column (in °C or K, as the uploader states) and an ionic
  conductivity column in S/cm. Fitted with :func:`ssb_portal.formulas.arrhenius_fit`.
* ``capacity``: a cycle number column, a discharge capacity column and optionally a charge
  capacity column (any one unit, e.g. mAh/g). Fitted with
  :func:`ssb_portal.formulas.capacity_fade_fit` and, when charge is given,
  :func:`ssb_portal.formulas.mean_coulombic_efficiency_percent`.

Headers are recognised in English or Chinese, in any case, with or without a unit in brackets
("Temperature (°C)", "温度/K", "离子电导率 (S/cm)"). The file is recognised by its content
(an XLSX is a zip; a CSV is text without control characters), not by its name, by the
shared reader `ssb_portal.tabular`, and must be at most :data:`DATASET_MAX_BYTES`.

Row numbers in errors are those a spreadsheet shows: the header is row 1, the first value row
is row 2, and problems of the whole file are row 0. Every error found is reported at once (up
to :data:`MAX_REPORTED_ERRORS`), each a shared reader's ``RowError`` naming its row and column,
in a :class:`DatasetError` (a ``ValueError``).

The module does no database work and returns plain lists and dicts, so results can be stored
as JSON.
"""

from __future__ import annotations

import math
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal import charts, formulas, tabular
from ssb_portal.tabular import RowError

#: Dataset kinds.
KIND_CONDUCTIVITY = "conductivity"
KIND_CAPACITY = "capacity"
KINDS = (KIND_CONDUCTIVITY, KIND_CAPACITY)

#: Temperature units an uploader can state for a conductivity dataset.
UNIT_CELSIUS = "C"
UNIT_KELVIN = "K"
TEMPERATURE_UNITS = (UNIT_CELSIUS, UNIT_KELVIN)

#: Largest dataset file accepted, bytes.
DATASET_MAX_BYTES = 2 * 1024 * 1024
#: Most value rows read from one dataset.
DATASET_MAX_ROWS = 10_000
#: At most this many row errors are listed; the rest are summarised.
MAX_REPORTED_ERRORS = 20

#: File formats recognised by content.
FORMAT_CSV = tabular.CSV
FORMAT_XLSX = tabular.XLSX

# Column keys -> accepted header words (normalised: lower case, no unit, no spaces/_/-).
_HEADERS = {
    "temperature": ("temperature", "temp", "t", "温度", "测试温度", "测量温度"),
    "conductivity": (
        "conductivity",
        "ionicconductivity",
        "sigma",
        "σ",
        "电导率",
        "离子电导率",
        "电导",
    ),
    "cycle": (
        "cycle",
        "cycles",
        "cyclenumber",
        "cycleno",
        "cycleindex",
        "n",
        "循环",
        "循环次数",
        "循环数",
        "圈数",
        "循环圈数",
    ),
    "discharge": (
        "discharge",
        "dischargecapacity",
        "qdischarge",
        "capacity",
        "放电容量",
        "放电比容量",
        "放电",
        "容量",
    ),
    "charge": ("charge", "chargecapacity", "qcharge", "充电容量", "充电比容量", "充电"),
}

_COLUMNS_BY_KIND = {
    KIND_CONDUCTIVITY: (("temperature", True), ("conductivity", True)),
    KIND_CAPACITY: (("cycle", True), ("discharge", True), ("charge", False)),
}


def column_label(key: str) -> str:
    """The translated name of a column, as used in error messages."""
    labels = {
        "temperature": _("temperature"),
        "conductivity": _("conductivity"),
        "cycle": _("cycle"),
        "discharge": _("discharge capacity"),
        "charge": _("charge capacity"),
    }
    return labels[key]


def describe(error: RowError) -> str:
    """A problem of the file in words: its row (none for the whole file), column and reason."""
    if error.row != tabular.FILE_ROW and error.column:
        return _("row %(row)s, %(column)s: %(message)s") % {
            "row": error.row,
            "column": column_label(error.column),
            "message": error.message,
        }
    if error.column:
        return _("%(column)s: %(message)s") % {
            "column": column_label(error.column),
            "message": error.message,
        }
    return error.message


class DatasetError(ValueError):
    """The dataset cannot be used; ``errors`` lists every problem, ``messages`` as text."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(describe(e) for e in errors))

    @property
    def messages(self) -> list[str]:
        shown = [describe(e) for e in self.errors[:MAX_REPORTED_ERRORS]]
        hidden = len(self.errors) - len(shown)
        if hidden > 0:
            shown.append(_("… and %(count)s more problems.") % {"count": hidden})
        return shown


def _fail(message: str) -> DatasetError:
    return DatasetError([RowError(tabular.FILE_ROW, "", message)])


# --------------------------------------------------------------------------------------------
# File recognition and reading
# --------------------------------------------------------------------------------------------


def _too_large(size: int, limit: int) -> str:
    return _("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {
        "size": size,
        "limit": limit,
    }


def _too_many_rows(_count: int, limit: int) -> str:
    return _("The file has more than %(count)s value rows.") % {"count": limit}


# What this reader has always said of a file it cannot take (the shared reader's mechanics).
_NOT_A_TABLE = gettext_lazy("The file is neither a CSV text file nor an XLSX workbook.")
_UNREADABLE = gettext_lazy("The file could not be read as a table.")
WORDING = tabular.Wording(
    too_large=_too_large,
    too_many_rows=_too_many_rows,
    damaged_zip=gettext_lazy("The file is not a readable XLSX workbook."),
    zip_not_workbook=gettext_lazy("The file is a zip archive but not an XLSX workbook."),
    old_excel=_NOT_A_TABLE,
    not_a_table=_NOT_A_TABLE,
    bad_encoding=gettext_lazy("The CSV file is not UTF-8 or GB18030 text."),
    unreadable_workbook=_UNREADABLE,
    unreadable_csv=_UNREADABLE,
)


def _dataset_error(error: tabular.TableError) -> DatasetError:
    """The shared reader's problems of the whole file, as this module reports them."""
    return DatasetError(error.errors)


def detect_format(content: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` from the bytes themselves; DatasetError for anything else."""
    try:
        return tabular.file_kind(content, max_bytes=DATASET_MAX_BYTES, wording=WORDING)
    except tabular.TableError as error:
        raise _dataset_error(error) from error


def _read_table(content: bytes) -> tuple[str, list[list[str]]]:
    """The format, and all rows of the first sheet (or the CSV) as lists of stripped strings."""
    try:
        table = tabular.read_table(
            content, max_bytes=DATASET_MAX_BYTES, wording=WORDING, sniff_separator=True
        )
    except tabular.TableError as error:
        raise _dataset_error(error) from error
    return table.kind, [[tabular.cell_text(value) for value in row] for row in table.rows]


_UNIT_SUFFIX = re.compile(r"[\(\[（【].*?[\)\]）】]|/.*$")
_SEPARATORS = re.compile(r"[\s_\-.:：]+")


def normalise_header(text: str) -> str:
    """Lower case, without a unit in brackets or after "/", without spaces, _ and -."""
    return _SEPARATORS.sub("", _UNIT_SUFFIX.sub("", text.strip().lower()))


def _find_columns(header: list[str], kind: str) -> dict[str, int]:
    normalised = [normalise_header(h) for h in header]
    found: dict[str, int] = {}
    errors: list[RowError] = []
    for key, required in _COLUMNS_BY_KIND[kind]:
        matches = [i for i, h in enumerate(normalised) if h and h in _HEADERS[key]]
        if not matches:
            if required:
                errors.append(RowError(1, key, _("no such column in the header row")))
            continue
        found[key] = matches[0]
    if errors:
        raise DatasetError(errors)
    return found


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _number(text: str) -> float | None:
    """The float in a cell, or None when it is not a plain finite number."""
    cleaned = text.replace("，", ",").replace("−", "-").replace(" ", "")
    if "," in cleaned and "." not in cleaned and cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    if not _NUMBER.match(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------------------------
# Parsing into series
# --------------------------------------------------------------------------------------------


def parse_dataset(content: bytes, kind: str, temperature_unit: str | None = None) -> dict:
    """Read the bytes of a CSV or XLSX into the series of ``kind``.

    :param content: the uploaded file's bytes.
    :param kind: ``"conductivity"`` or ``"capacity"``.
    :param temperature_unit: ``"C"`` or ``"K"``, required for conductivity, ignored otherwise.
    :returns: for conductivity ``{"kind", "format", "temperature_unit", "rows", "temperature",
        "conductivity"}``; for capacity ``{"kind", "format", "rows", "cycle", "discharge",
        "charge"}`` with ``charge`` None when the column is absent. ``rows`` are the spreadsheet
        row numbers of the values. All lists are plain floats (cycles are ints).
    :raises DatasetError: naming every bad row and column, or the file problem.
    """
    if kind not in KINDS:
        raise _fail(_("Unknown dataset kind."))
    if kind == KIND_CONDUCTIVITY and temperature_unit not in TEMPERATURE_UNITS:
        raise _fail(_("State whether the temperatures are in °C or K."))
    file_format, table = _read_table(content)
    # Skip leading blank rows; the first non-blank row is the header.
    start = 0
    while start < len(table) and not any(table[start]):
        start += 1
    if start >= len(table):
        raise _fail(_("The file has no header row."))
    columns = _find_columns(table[start], kind)
    series: dict[str, list] = {key: [] for key in columns}
    rows: list[int] = []
    errors: list[RowError] = []
    for offset, values in enumerate(table[start + 1 :], start=start + 2):
        cells = {key: (values[i] if i < len(values) else "") for key, i in columns.items()}
        if not any(cells.values()):
            continue  # blank line
        try:
            tabular.check_row_count(len(rows) + 1, max_rows=DATASET_MAX_ROWS, wording=WORDING)
        except tabular.TableError as error:
            raise _dataset_error(error) from error
        row_values: dict[str, float] = {}
        for key, text in cells.items():
            value = _check_cell(key, text, offset, kind, temperature_unit, errors)
            if value is not None:
                row_values[key] = value
        if len(row_values) == len(cells):
            for key, value in row_values.items():
                series[key].append(int(value) if key == "cycle" else value)
            rows.append(offset)
    if errors:
        raise DatasetError(errors)
    if kind == KIND_CONDUCTIVITY:
        distinct = len(set(series["temperature"]))
        if distinct < formulas.FIT_MIN_POINTS:
            raise DatasetError(
                [
                    RowError(
                        tabular.FILE_ROW,
                        "temperature",
                        _("at least %(min)s different temperatures are needed, got %(count)s")
                        % {"min": formulas.FIT_MIN_POINTS, "count": distinct},
                    )
                ]
            )
        return {
            "kind": kind,
            "format": file_format,
            "temperature_unit": temperature_unit,
            "rows": rows,
            "temperature": series["temperature"],
            "conductivity": series["conductivity"],
        }
    distinct = len(set(series["cycle"]))
    if distinct < formulas.FIT_MIN_POINTS:
        raise DatasetError(
            [
                RowError(
                    tabular.FILE_ROW,
                    "cycle",
                    _("at least %(min)s different cycle numbers are needed, got %(count)s")
                    % {"min": formulas.FIT_MIN_POINTS, "count": distinct},
                )
            ]
        )
    return {
        "kind": kind,
        "format": file_format,
        "rows": rows,
        "cycle": series["cycle"],
        "discharge": series["discharge"],
        "charge": series.get("charge"),
    }


def _check_cell(
    key: str,
    text: str,
    row: int,
    kind: str,
    temperature_unit: str | None,
    errors: list[RowError],
) -> float | None:
    if text == "":
        errors.append(RowError(row, key, _("empty")))
        return None
    value = _number(text)
    if value is None:
        errors.append(RowError(row, key, _("not a number")))
        return None
    if key == "temperature":
        if temperature_unit == UNIT_KELVIN and value <= 0:
            errors.append(RowError(row, key, _("must be above 0 K")))
            return None
        if temperature_unit == UNIT_CELSIUS and value <= -formulas.ZERO_CELSIUS_K:
            errors.append(RowError(row, key, _("must be above −273.15 °C")))
            return None
    elif key == "cycle":
        if value < 0 or value != int(value):
            errors.append(RowError(row, key, _("must be a whole number of 0 or more")))
            return None
    elif value <= 0:
        errors.append(RowError(row, key, _("must be positive")))
        return None
    return value


# --------------------------------------------------------------------------------------------
# Fits
# --------------------------------------------------------------------------------------------


def temperatures_kelvin(series: dict) -> list[float]:
    """The temperatures of a conductivity series in K."""
    if series["temperature_unit"] == UNIT_CELSIUS:
        return [formulas.celsius_to_kelvin(t) for t in series["temperature"]]
    return list(series["temperature"])


def fit_series(series: dict) -> dict:
    """The fit of a series from :func:`parse_dataset`, as a plain JSON-ready dict.

    Conductivity: ``activation_energy_ev`` (eV), ``pre_exponential_s_per_cm`` (S/cm),
    ``conductivity_25c_s_per_cm`` (S/cm), ``r_squared``, ``points``.
    Capacity: ``initial_capacity`` (the file's unit), ``decay_percent_per_cycle`` (%/cycle),
    ``cycles_to_80_percent`` (cycles, None without fade), ``coulombic_efficiency_percent``
    (%, None without charge), ``r_squared``, ``points``.
    Both carry ``kind`` and ``units`` (key -> unit text).

    :raises DatasetError: when the formula refuses the data.
    """
    try:
        if series["kind"] == KIND_CONDUCTIVITY:
            fit = formulas.arrhenius_fit(temperatures_kelvin(series), series["conductivity"])
            return {
                "kind": KIND_CONDUCTIVITY,
                "activation_energy_ev": fit.activation_energy_ev,
                "pre_exponential_s_per_cm": fit.pre_exponential_s_per_cm,
                "conductivity_25c_s_per_cm": fit.conductivity_25c_s_per_cm,
                "r_squared": fit.r_squared,
                "points": fit.points,
                "units": {
                    "activation_energy_ev": "eV",
                    "pre_exponential_s_per_cm": "S/cm",
                    "conductivity_25c_s_per_cm": "S/cm",
                },
            }
        fade = formulas.capacity_fade_fit(series["cycle"], series["discharge"])
        efficiency = None
        if series.get("charge"):
            efficiency = formulas.mean_coulombic_efficiency_percent(
                series["charge"], series["discharge"]
            )
        return {
            "kind": KIND_CAPACITY,
            "initial_capacity": fade.initial_capacity,
            "decay_percent_per_cycle": fade.decay_percent_per_cycle,
            "cycles_to_80_percent": fade.cycles_to_end_of_life,
            "coulombic_efficiency_percent": efficiency,
            "r_squared": fade.r_squared,
            "points": fade.points,
            "units": {
                "decay_percent_per_cycle": "%/cycle",
                "cycles_to_80_percent": "cycles",
                "coulombic_efficiency_percent": "%",
            },
        }
    except ValueError as error:
        if isinstance(error, DatasetError):
            raise
        raise _fail(_("The data cannot be fitted: %(reason)s") % {"reason": error}) from error


def plot_points(series: dict) -> list[tuple[float, float]]:
    """The (x, y) points to plot: (1000/T in 1/K, ln σ) or (cycle, discharge capacity)."""
    if series["kind"] == KIND_CONDUCTIVITY:
        return [
            (1000 / t, math.log(s))
            for t, s in zip(temperatures_kelvin(series), series["conductivity"], strict=True)
        ]
    return [(float(n), q) for n, q in zip(series["cycle"], series["discharge"], strict=True)]


def fitted_line(series: dict, fit: dict, samples: int = 24) -> list[tuple[float, float]]:
    """Points of the fitted curve over the range of the data, in the axes of plot_points."""
    points = plot_points(series)
    low = min(x for x, _y in points)
    high = max(x for x, _y in points)
    xs = [low + (high - low) * i / (samples - 1) for i in range(samples)]
    if fit["kind"] == KIND_CONDUCTIVITY:
        # ln σ = ln A − Ea/(k T) = ln A − Ea/k · (x / 1000)
        slope = -fit["activation_energy_ev"] / formulas.BOLTZMANN_EV_PER_K / 1000
        intercept = math.log(fit["pre_exponential_s_per_cm"])
        return [(x, intercept + slope * x) for x in xs]
    q0 = fit["initial_capacity"]
    d = fit["decay_percent_per_cycle"] / 100
    return [(x, q0 * (1 - d) ** x) for x in xs]


# --------------------------------------------------------------------------------------------
# Plot (inline SVG, drawn on the server)
# --------------------------------------------------------------------------------------------


def plot_svg(
    points: list[tuple[float, float]],
    line: list[tuple[float, float]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    element_id: str = "dataset-plot",
) -> str:
    """An SVG scatter of the measured points with the fitted line through them.

    Drawn by the shared chart kit, which escapes the texts, so the result is safe to insert in
    a page as it is. The chart has a <title> and a <desc> naming the number of points for
    screen readers.
    """
    return charts.scatter_with_line(
        points,
        line,
        chart_id=element_id,
        title=title,
        x_label=x_label,
        y_label=y_label,
        css_class="chart dataset-plot",
    )
