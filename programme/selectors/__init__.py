"""The programme dashboard's selectors, one module per section of the dashboard.

`dashboard` assembles the public and the officials' dashboards from the section modules
(`lcr_and_directory`, `alliance_and_demonstrations`, `support_and_rd_fund`,
`talent_programme`); `figures` holds the dataclasses and helpers they share.

The names below are re-exported for `programme.charts`, which draws the figures.
"""

from programme.selectors.figures import LINE, MONEY, PERCENT, Indicator, Number, YearFigure

__all__ = ["LINE", "MONEY", "PERCENT", "Indicator", "Number", "YearFigure"]
