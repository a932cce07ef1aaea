"""The officials' workbench of the directory.

Officials (staff users in the "Official" group) review listings here: enterprises, products
and the measured data behind them (see `listings`). Records and reference data, the LCR and
the purchase records have their own modules. One module per concern; importing them
registers their admins.
"""

from directory.admin import (  # noqa: F401
    composition,
    enterprises,
    evidence,
    lcr,
    mappings,
    passports,
    products,
    purchases,
    records,
    waiting,
)
