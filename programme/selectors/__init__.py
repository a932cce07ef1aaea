"""The programme dashboard's selectors, one module per section of the dashboard.

`dashboard` assembles the public and the officials' dashboards from the section modules
(`lcr_and_directory`, `alliance_and_demonstrations`, `support_and_rd_fund`,
`talent_programme`); `figures` holds the dataclasses and helpers they share.
"""
