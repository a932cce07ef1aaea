"""Purchase records: anchor firms' purchase lines, their imports (file, API, command line),
corrections kept as revisions, and the pages and API that show them."""
