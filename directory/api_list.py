"""The directory search's answer (GET /api/v1/enterprises/) rendered from `values()` rows.

The same JSON as `EnterpriseSerializer` over the search's `results()` (with_public_details),
which stays the documented shape and the detail's renderer: per page, one query for the
enterprises (with their district) and one per relation, as before, but no model instance per
row and no serializer walk per object (issue 17: that walk, not the SQL, was most of a
request's time). The plans come from the serializers themselves (ssb_portal.output_plans), so
a field added there is rendered here too, or refused when the plan is made.
"""

from django.db.models import QuerySet

from directory import selectors
from directory.api import CertificationSerializer, EnterpriseSerializer, ProductSerializer
from directory.models import Enterprise, Product
from ssb_portal.output_plans import OutputPlan

# The enterprise's key, read beside the plan's columns to attach its lists.
_KEY = "id"


def enterprise_list_rows(queryset: QuerySet[Enterprise]) -> QuerySet:
    """The filtered, ordered enterprises as the rows the list renders (paginate these)."""
    return queryset.values(_KEY, *OutputPlan.of(EnterpriseSerializer).columns)


def enterprise_list_output(
    rows: list[dict], *, products: QuerySet[Product] | None = None
) -> list[dict]:
    """`EnterpriseSerializer(..., many=True).data` for a page of `enterprise_list_rows`, each
    enterprise with its verified products, or only those of `products` (as a search narrows
    them: `EnterpriseFilter.products_meeting`)."""
    plan = OutputPlan.of(EnterpriseSerializer)
    certification_plan = OutputPlan.of(CertificationSerializer)
    product_plan = OutputPlan.of(ProductSerializer)
    categories, certifications, products = selectors.public_details_rows(
        [row[_KEY] for row in rows],
        certification_columns=certification_plan.columns,
        product_columns=product_plan.columns,
        products=products,
    )
    return [
        plan.render(
            row,
            {
                "categories": categories[row[_KEY]],
                "certifications": [
                    certification_plan.render(certificate)
                    for certificate in certifications[row[_KEY]]
                ],
                "products": [product_plan.render(product) for product in products[row[_KEY]]],
            },
        )
        for row in rows
    ]
