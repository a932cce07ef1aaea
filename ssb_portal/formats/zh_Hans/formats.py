"""Number formats for zh-hans pages: amounts grouped by thousands with commas.

Django's zh_Hans formats group nothing (an empty separator, groups of four). Public-money
figures are read as finance writes them, 50,000,000.00 元, so the portal groups by three.
Dates and times keep Django's zh_Hans formats.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
