"""`manage.py lcr_report --year 2026 [--buyer USCC] [--group-by ...] [--format ...]`.

The same figures as GET /api/v1/lcr/, from the same selectors. Without --buyer it prints the
city's figure and then every firm's figure of the year: operators run it, so it may name firms.
`json` prints the API's objects (the city's under "city", the firms under "firms").
"""

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.lcr import selectors
from directory.lcr.api import LcrFigureSerializer
from directory.models import Enterprise
from directory.validators import normalise_uscc
from ssb_portal.exports import write_csv

CSV_COLUMNS = [
    "year",
    "buyer_uscc",
    "buyer_name",
    "group",
    "group_name",
    "local_value",
    "total_value",
    "lcr_percent",
    "target_percent",
    "behind_target",
]


def _text(value: Any) -> Any:
    """A CSV cell: yes/no for flags; numbers stay numbers (the writer escapes only text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def _group_name(group: dict[str, Any]) -> str:
    return group.get("supplier_name") or group.get("name_zh") or str(group.get("basis_label", ""))


class Command(BaseCommand):
    help = "Print the Local Content Ratio of a year: the city's and every firm's, or one firm's."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            default=timezone.localdate().year,
            help="Invoice year (default: the current year).",
        )
        parser.add_argument("--buyer", help="One firm's unified social credit code.")
        parser.add_argument(
            "--group-by", choices=selectors.LCR_GROUPINGS, help="Split the figure into groups."
        )
        parser.add_argument(
            "--format", choices=("table", "csv", "json"), default="table", dest="output_format"
        )

    def handle(self, *args, year: int, buyer: str | None, group_by: str | None, **options):
        if not selectors.LCR_FIRST_YEAR <= year <= selectors.LCR_LAST_YEAR:
            raise CommandError(
                _("--year must be between %(first)d and %(last)d.")
                % {"first": selectors.LCR_FIRST_YEAR, "last": selectors.LCR_LAST_YEAR}
            )
        if buyer is not None:
            uscc = normalise_uscc(buyer)
            enterprise = Enterprise.objects.filter(uscc=uscc).first()
            if enterprise is None:
                raise CommandError(_("No enterprise with the code %(uscc)s.") % {"uscc": uscc})
            figures = selectors.lcr_of_buyer(enterprise, year=year, group_by=group_by)
            firms = None
            name = enterprise.name_zh
        else:
            figures = selectors.lcr_of_city(year=year, group_by=group_by)
            firms = selectors.lcr_by_buyer_and_year(year=year)
            name = ""
        output = {"table": self._table, "csv": self._csv, "json": self._json}
        output[options["output_format"]](figures, name, firms)

    def _rows(self, figures: dict, name: str, firms: list | None) -> list[dict[str, Any]]:
        """Everything as flat rows: the figure, its groups, then the firms (city-wide only)."""
        base = {
            "year": figures["year"],
            "buyer_uscc": figures["buyer"],
            "buyer_name": name,
            "target_percent": figures["target_percent"],
        }
        behind = (
            figures["lcr_percent"] is not None
            and figures["target_percent"] is not None
            and figures["lcr_percent"] < figures["target_percent"]
        )
        rows = [{**base, **self._values(figures), "behind_target": behind}]
        rows += [
            {**base, "group": group["key"], "group_name": _group_name(group), **self._values(group)}
            for group in figures["groups"]
        ]
        rows += [
            {
                "year": firm["year"],
                "buyer_uscc": firm["buyer_uscc"],
                "buyer_name": firm["buyer_name_zh"],
                **self._values(firm),
                "target_percent": firm["target_percent"],
                "behind_target": firm["behind_target"],
            }
            for firm in firms or []
        ]
        return rows

    @staticmethod
    def _values(figure: dict[str, Any]) -> dict[str, Decimal | None]:
        return {key: figure[key] for key in ("local_value", "total_value", "lcr_percent")}

    def _csv(self, figures: dict, name: str, firms: list | None) -> None:
        rows = (
            [_text(row.get(column)) for column in CSV_COLUMNS]
            for row in self._rows(figures, name, firms)
        )
        write_csv(self.stdout, CSV_COLUMNS, rows, lineterminator="\n")

    def _json(self, figures: dict, name: str, firms: list | None) -> None:
        data: Any = LcrFigureSerializer(figures).data
        if firms is not None:
            data = {"city": data, "firms": [self._json_firm(firm) for firm in firms]}
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    @staticmethod
    def _json_firm(firm: dict[str, Any]) -> dict[str, Any]:
        return {
            key: str(value) if isinstance(value, Decimal) else value for key, value in firm.items()
        }

    def _table(self, figures: dict, name: str, firms: list | None) -> None:
        if figures["buyer"]:
            who = f"{name} ({figures['buyer']})"
            title = _("Local content ratio %(year)d, %(who)s") % {
                "year": figures["year"],
                "who": who,
            }
        else:
            title = _("Local content ratio %(year)d, city-wide") % {"year": figures["year"]}
        published = figures["published"]
        frozen = _cell(published["lcr_percent"]) if published else _("not published")
        summary = [
            [_("Local value (CNY)"), _cell(figures["local_value"])],
            [_("Total value (CNY)"), _cell(figures["total_value"])],
            [_("LCR (%)"), _cell(figures["lcr_percent"])],
            [_("Target (%)"), _cell(figures["target_percent"])],
            [_("Published LCR (%)"), frozen],
        ]
        self.stdout.write(title)
        self.stdout.write(self._aligned(summary))
        money = ("local_value", "total_value", "lcr_percent")
        if figures["groups"]:
            header = [_("Group"), _("Name"), _("Local value (CNY)"), _("Total value (CNY)")]
            rows = [
                [group["key"], _group_name(group), *(_cell(group[key]) for key in money)]
                for group in figures["groups"]
            ]
            self.stdout.write("")
            self.stdout.write(self._aligned([[*header, _("LCR (%)")], *rows]))
        if firms is not None:
            header = [_("USCC"), _("Firm"), _("Local value (CNY)"), _("Total value (CNY)")]
            header += [_("LCR (%)"), _("Target (%)"), _("Below the target")]
            rows = [
                [
                    firm["buyer_uscc"],
                    firm["buyer_name_zh"],
                    *(_cell(firm[key]) for key in (*money, "target_percent")),
                    _("yes") if firm["behind_target"] else "",
                ]
                for firm in firms
            ]
            self.stdout.write("")
            self.stdout.write(self._aligned([header, *rows]))

    @staticmethod
    def _aligned(rows: list[list[str]]) -> str:
        """Columns padded to their widest cell (CJK characters count double on a terminal)."""

        def width(text: str) -> int:
            return sum(2 if ord(char) > 0x2E80 else 1 for char in text)

        widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip()
            for row in rows
        )
