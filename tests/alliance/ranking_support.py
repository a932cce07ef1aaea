"""What the ranking tests share: a supplier member with its history, and the ranking the
pure score gives every candidate, to compare the SQL ranking with."""

from alliance import matching, selectors
from tests.factories import AllianceMemberFactory, EnterpriseFactory


def sme_member(*, completed=0, median_hours=None, **fields):
    """A verified SME, an approved alliance member with that supplier history."""
    enterprise = EnterpriseFactory(kind="sme", **fields)
    AllianceMemberFactory(
        enterprise=enterprise, completed_collaborations=completed, median_answer_hours=median_hours
    )
    return enterprise


def reference_ranking(demand) -> list[tuple[int, int, float]]:
    """Every candidate scored in Python, one product each, in the ranking's order:
    (enterprise, product, total), best total first, ties by enterprise id; an enterprise's
    best product has the highest spec points, ties the lowest id."""
    thresholds = selectors.demand_thresholds(demand)
    volume = float(demand.annual_volume) if demand.annual_volume is not None else None
    best: dict[int, tuple[float, int, float]] = {}
    for row in selectors.qualifying_products(demand).values(
        "pk",
        "enterprise_id",
        "enterprise__annual_capacity",
        "enterprise__capacity_unit",
        "enterprise__recommended",
        "enterprise__district__is_local",
        "enterprise__alliance_membership__completed_collaborations",
        "enterprise__alliance_membership__median_answer_hours",
        *{t.field for t in thresholds},
    ):
        capacity = row["enterprise__annual_capacity"]
        score = matching.score(
            product=row,
            thresholds=thresholds,
            capacity=float(capacity) if capacity is not None else None,
            capacity_unit=row["enterprise__capacity_unit"],
            volume=volume,
            volume_unit=demand.volume_unit,
            is_local=row["enterprise__district__is_local"],
            recommended=row["enterprise__recommended"],
            completed_collaborations=row[
                "enterprise__alliance_membership__completed_collaborations"
            ],
            median_answer_hours=row["enterprise__alliance_membership__median_answer_hours"],
        )
        candidate = (score.parts[0].points, -row["pk"], score.total)
        if row["enterprise_id"] not in best or candidate > best[row["enterprise_id"]]:
            best[row["enterprise_id"]] = candidate
    ranked = [(enterprise, -pk, total) for enterprise, (_s, pk, total) in best.items()]
    return sorted(ranked, key=lambda item: (-item[2], item[0]))
