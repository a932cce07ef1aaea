"""The Local Content Ratio: the ledger's figures, the trajectory officials set, the published
(frozen) years, and the pages, dashboard and API that show them."""
