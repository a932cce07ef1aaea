"""Counts of directory searches that stop counting at a cap: a broad search ("no filter",
"electrolyte") would otherwise count every match on every request, a scan of the table.

Up to COUNT_CAP matches the count is exact; beyond it the count says COUNT_CAP and the answer
says it is capped (the page: "more than 1,000"; the API: `count_capped`). Pages reach the
first COUNT_CAP matches; a narrower search reaches the rest.

The cap is 1,000, not more: the count reads up to COUNT_CAP + 1 matches, each a firm the
database must find and check (at 100,000 firms on PostgreSQL, capacity ≥ 300 and decay
≤ 0.05 counted to 10,001 in 92 ms, to 1,001 in 14 ms). A broad text search still reads every
match whatever the cap (docs/search.md).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from ssb_portal.api import StandardPagination

COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """A paginator counting at most COUNT_CAP + 1 rows; `capped` says whether there were more
    than COUNT_CAP."""

    @cached_property
    def counted(self) -> int:
        # Unordered: the count needs no sort, only the first COUNT_CAP + 1 rows found.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.counted > COUNT_CAP


COUNT_CAPPED_HELP = _(
    "True when more than 1,000 enterprises match: `count` then says 1,000 and the pages "
    "reach the first 1,000; narrow the search to reach the others."
)


class CappedCountPagination(StandardPagination):
    """The API's pages over a capped count, with `count_capped` beside `count`."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": str(COUNT_CAPPED_HELP),
        }
        paginated["required"] = [*paginated.get("required", []), "count_capped"]
        return paginated
