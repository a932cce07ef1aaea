"""The ranked candidates for a demand, each score explained part by part."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance import matching, selectors
from alliance.models import DEMAND_THRESHOLDS, Demand, DemandResponse, DemandStatus
from directory.models import Product
from directory.templatetags.directory_tags import spec_value
from ssb_portal.roles import is_official

PART_LABELS = {
    "specs": gettext_lazy("Technical margin"),
    "capacity": gettext_lazy("Capacity for the volume"),
    "local": gettext_lazy("Local supplier"),
    "recommended": gettext_lazy("Recommended supplier"),
    "track_record": gettext_lazy("Completed collaborations"),
    "responsiveness": gettext_lazy("Answer speed"),
}


@dataclass
class PartRow:
    key: str
    label: str
    points: float
    max_points: int
    figure: str


@dataclass
class MatchRow:
    match: selectors.Match
    parts: list[PartRow]
    reasons: list[str]
    response: DemandResponse | None


def _product_label(name: str) -> str:
    return str(Product._meta.get_field(name).verbose_name)


def _figure(part: matching.Part) -> str:
    """The figure behind a score part, in words."""
    detail = part.detail
    if part.key == "specs":
        if not detail.get("margins"):
            return _("No threshold given: half the points.")
        return "; ".join(
            _("%(spec)s: beats the threshold by %(margin)s %%")
            % {"spec": _product_label(name), "margin": spec_value(margin)}
            for name, margin in detail["margins"].items()
        )
    if part.key == "capacity":
        if detail.get("ratio") is None:
            return _("Capacity or volume not stated, or in different units: half the points.")
        return _("Annual capacity is %(ratio)s %% of the demanded volume.") % {
            "ratio": spec_value(detail["ratio"])
        }
    if part.key == "local":
        return _("Yes, registered in the city.") if detail.get("local") else _("No.")
    if part.key == "recommended":
        return (
            _("Yes, on the Procurement Recommendation Directory.")
            if detail.get("recommended")
            else _("No.")
        )
    if part.key == "track_record":
        return _("%(count)s completed in the alliance.") % {"count": detail.get("completed", 0)}
    if part.key == "responsiveness":
        if detail.get("median_hours") is None:
            return _("No earlier invitation: half the points.")
        return _("Median answer time: %(hours)s hours.") % {
            "hours": spec_value(detail["median_hours"])
        }
    return ""


def _reasons(demand: Demand, match: selectors.Match) -> list[str]:
    """Why the candidate qualifies: the category, each threshold met, each certificate held."""
    reasons = [_("“%(product)s” is in the demanded category.") % {"product": match.product_name}]
    for name, (product_field, lookup) in DEMAND_THRESHOLDS.items():
        threshold = getattr(demand, name)
        if threshold is None:
            continue
        reasons.append(
            (
                _("%(spec)s: %(value)s, at least %(threshold)s")
                if lookup == "gte"
                else _("%(spec)s: %(value)s, at most %(threshold)s")
            )
            % {
                "spec": _product_label(product_field),
                "value": spec_value(match.product.get(product_field)),
                "threshold": spec_value(threshold),
            }
        )
    for scheme in demand.required_certifications:
        reasons.append(_("Holds a valid %(scheme)s certificate.") % {"scheme": scheme})
    return reasons


@login_required
def matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked candidates for the demand's owner (and officials), each score explained."""
    demand = selectors.demand_for(request.user, pk)
    is_owner = selectors.is_demand_owner(request.user, demand)
    if not (is_owner or is_official(request.user)):
        raise Http404
    responses = {response.supplier_id: response for response in demand.responses.all()}
    rows = [
        MatchRow(
            match=match,
            parts=[
                PartRow(
                    key=part.key,
                    label=str(PART_LABELS.get(part.key, part.key)),
                    points=part.points,
                    max_points=part.max_points,
                    figure=_figure(part),
                )
                for part in match.score.parts
            ],
            reasons=_reasons(demand, match),
            response=responses.get(match.enterprise_id),
        )
        for match in selectors.demand_matches(demand)
    ]
    return render(
        request,
        "alliance/matches.html",
        {
            "demand": demand,
            "rows": rows,
            "is_owner": is_owner,
            "can_invite": is_owner and demand.status == DemandStatus.OPEN,
            "points": {
                "specs": matching.SPEC_POINTS,
                "capacity": matching.CAPACITY_POINTS,
                "local": matching.LOCAL_POINTS,
                "recommended": matching.RECOMMENDED_POINTS,
                "track_record": matching.TRACK_RECORD_POINTS,
                "responsiveness": matching.RESPONSIVENESS_POINTS,
                "per_collaboration": matching.POINTS_PER_COMPLETED_COLLABORATION,
            },
            "limit": selectors.MATCH_LIMIT,
        },
    )
