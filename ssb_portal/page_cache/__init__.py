"""The page cache (issue 20, "Load held"): anonymous GET pages and public API reads are kept
in the shared cache and served again until a table they read changes.

`tables` watches every SQL statement of every process (web, task worker, commands): a request
that may be kept records the tables it read; a committed write bumps the version of the tables
it wrote. `middleware` keeps a page with the versions its tables had before it was rendered and
serves it only while all of them are unchanged, so a product edit retires the pages that read
products and no other. PAGE_CACHE (on when DEBUG is off) turns both on; PAGE_CACHE_SECONDS bounds
how long a page is kept without any write (pages that follow the calendar, writes made outside
the portal's processes).
"""
