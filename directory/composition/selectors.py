"""Reads of bills of materials, scoped to who may see them, and the roll-up tree of a
product's composition for its page."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.utils import timezone

from directory.access import enterprises_of_member
from directory.models import (
    BillOfMaterials,
    BomLine,
    BomStatus,
    BomStatusChange,
    ListingStatus,
    Product,
    SafeHarbourClass,
)
from ssb_portal.roles import is_official


def bills_visible_to(user: AbstractBaseUser) -> QuerySet[BillOfMaterials]:
    """Officials see every bill; a firm's members see their own products' bills."""
    bills = BillOfMaterials.objects.select_related("product", "safe_harbour").prefetch_related(
        Prefetch("lines", queryset=BomLine.objects.select_related("component", "component_class"))
    )
    if is_official(user):
        return bills
    if not user.is_authenticated:
        return bills.none()
    return bills.filter(product__enterprise__in=enterprises_of_member(user))


def components_named(text: str, *, number: int | None = None, limit: int = 5) -> QuerySet[Product]:
    """The verified products a bill's line may link to: the one numbered `number`, else the
    first `limit` whose name contains `text` (for the supplier to pick from)."""
    products = Product.objects.filter(status=ListingStatus.VERIFIED).select_related("enterprise")
    if number is not None:
        return products.filter(pk=number)
    return products.filter(name__icontains=text).order_by("name", "pk")[:limit]


def harbour_classes(product: Product) -> list[SafeHarbourClass]:
    """The classes of the product's category's safe-harbour table (none: no table)."""
    return list(SafeHarbourClass.objects.filter(table__category_id=product.category_id))


def bills_of_product(product: Product) -> QuerySet[BillOfMaterials]:
    """A product's bills, newest first, each with its lines and history (three queries)."""
    return (
        BillOfMaterials.objects.filter(product=product)
        .select_related("safe_harbour", "verified_by", "declared_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=BomLine.objects.select_related("component__enterprise", "component_class"),
            ),
            Prefetch("status_changes", queryset=BomStatusChange.objects.select_related("actor")),
        )
        .order_by("-declared_at", "-pk")
    )


def products_declarable_by(user: AbstractBaseUser) -> QuerySet[Product]:
    """The products whose bills the user may declare: their own firms'."""
    if not user.is_authenticated:
        return Product.objects.none()
    return Product.objects.select_related("enterprise", "category").filter(
        enterprise__in=enterprises_of_member(user)
    )


@dataclass
class TreeNode:
    """One line of a product's composition; `children` is the linked product's own verified
    bill, when it has one in force."""

    line: BomLine
    share: Decimal | None
    children: list["TreeNode"] = field(default_factory=list)


def composition_tree(
    product: Product, *, depth: int = 6
) -> tuple[BillOfMaterials | None, list[TreeNode]]:
    """The product's verified bill in force and its lines, each linked component expanded
    into its own bill in force, tier by tier (one query per tier), at most `depth` tiers."""
    today = timezone.localdate()
    in_force = BillOfMaterials.objects.filter(
        status=BomStatus.VERIFIED, valid_from__lte=today, valid_until__gte=today
    )
    root = in_force.filter(product=product).first()
    if root is None:
        return None, []
    lines_of = {product.pk: []}
    frontier = {product.pk}
    seen = set(frontier)
    for _tier in range(depth):
        lines = list(
            BomLine.objects.filter(bom__in=in_force, bom__product_id__in=frontier)
            .select_related("bom", "component", "component_class")
            .order_by("bom_id", "pk")
        )
        if not lines:
            break
        frontier = set()
        for line in lines:
            lines_of.setdefault(line.bom.product_id, []).append(line)
            if line.component_id is not None and line.component_id not in seen:
                seen.add(line.component_id)
                frontier.add(line.component_id)
        if not frontier:
            break
    shares = dict(in_force.filter(product_id__in=seen).values_list("product_id", "computed_share"))

    def nodes(product_id: int, path: frozenset) -> list[TreeNode]:
        built = []
        for line in lines_of.get(product_id, []):
            child = line.component_id
            children = []
            if child is not None and child not in path:
                children = nodes(child, path | {child})
            share = shares.get(child) if child is not None else None
            if share is None and child is not None:
                share = line.component.local_content_share
            built.append(TreeNode(line=line, share=share, children=children))
        return built

    return root, nodes(product.pk, frozenset({product.pk}))


def compositions_of(
    products: list[Product],
) -> list[tuple[Product, BillOfMaterials, list[TreeNode]]]:
    """The roll-up trees of those of `products` whose verified bill is in force (one query to
    find them, then the tiers of each)."""
    today = timezone.localdate()
    billed = set(
        BillOfMaterials.objects.filter(
            product__in=products,
            status=BomStatus.VERIFIED,
            valid_from__lte=today,
            valid_until__gte=today,
        ).values_list("product_id", flat=True)
    )
    trees = []
    for product in products:
        if product.pk in billed:
            root, nodes = composition_tree(product)
            trees.append((product, root, nodes))
    return trees
