"""Technical evidence: measured datasets behind product specs, their fits, and the pages and
API that attach and show them."""
