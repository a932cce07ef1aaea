"""The Local Content Ratio: setting the trajectory and publishing (freezing) a year's figures."""

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.lcr import selectors
from directory.models import (
    Enterprise,
    LcrPublication,
    LcrPublishedFigure,
    LcrTrajectory,
)
from directory.purchases import review
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.formulas import LCR_TARGET_PERCENT, LCR_TARGET_YEARS
from ssb_portal.roles import is_official


def _require_lcr_official(user: AbstractBaseUser) -> None:
    if not is_official(user):
        raise PermissionDenied(_("Only officials may set the LCR trajectory or publish figures."))


def _check_lcr_year(year: int, field: str) -> None:
    if not selectors.LCR_FIRST_YEAR <= year <= selectors.LCR_LAST_YEAR:
        raise ValidationError(
            {
                field: _("Enter a year between %(first)d and %(last)d.")
                % {"first": selectors.LCR_FIRST_YEAR, "last": selectors.LCR_LAST_YEAR}
            }
        )


@transaction.atomic
def lcr_trajectory_set(
    *,
    actor: AbstractBaseUser,
    baseline_year: int,
    baseline_percent: Decimal | None = None,
    goal_percent: Decimal = Decimal(LCR_TARGET_PERCENT),
    goal_years: int = LCR_TARGET_YEARS,
) -> LcrTrajectory:
    """Set the programme's LCR path: a straight line from the baseline year to the goal.

    Without a baseline percentage the measured city-wide LCR of the baseline year is taken.
    Every setting is kept as its own row (who, when); the newest one counts.
    """
    _require_lcr_official(actor)
    _check_lcr_year(baseline_year, "baseline_year")
    if baseline_percent is None:
        measured = selectors.lcr_figures(selectors.lcr_years(), year=baseline_year)
        if measured["lcr_percent"] is None:
            raise ValidationError(
                {
                    "baseline_percent": _(
                        "No purchases are recorded for %(year)d, so there is no measured LCR "
                        "to take: enter the baseline LCR."
                    )
                    % {"year": baseline_year}
                }
            )
        baseline_percent = measured["lcr_percent"]
    trajectory = LcrTrajectory(
        baseline_year=baseline_year,
        baseline_percent=baseline_percent,
        goal_percent=goal_percent,
        goal_years=goal_years,
        updated_by=actor,
    )
    trajectory.full_clean()
    trajectory.save()
    return trajectory


def _already_published(publication: LcrPublication) -> ValidationError:
    return ValidationError(
        {
            "year": _(
                "%(year)d was published on %(date)s by %(who)s; published figures never change."
            )
            % {
                "year": publication.year,
                "date": timezone.localtime(publication.published_at).strftime("%Y-%m-%d %H:%M"),
                "who": publication.published_by.get_username() if publication.published_by else "—",
            }
        }
    )


@transaction.atomic
def lcr_year_publish(*, actor: AbstractBaseUser, year: int) -> LcrPublication:
    """Freeze a year's figures: the city's and every buying firm's, with the year's target.

    They never change afterwards, whatever happens to suppliers or purchase lines; the live
    figures are shown beside them. The publication row (who, when) is the audit record.
    """
    _require_lcr_official(actor)
    _check_lcr_year(year, "year")
    existing = selectors.lcr_published(year)
    if existing is not None:
        raise _already_published(existing)
    held = review.imports_awaiting_year(year)
    if held:
        raise ValidationError(
            {
                "year": _(
                    "%(year)d cannot be published while imports with lines of that year await "
                    "review: %(imports)s. Accept or reject them first."
                )
                % {
                    "year": year,
                    "imports": "; ".join(
                        _("import %(id)d of %(buyer)s (%(date)s)")
                        % {
                            "id": purchase_import.pk,
                            "buyer": purchase_import.buyer.name_zh,
                            "date": purchase_import.created_at.date().isoformat(),
                        }
                        for purchase_import in held
                    ),
                }
            }
        )
    firms = selectors.lcr_by_buyer_and_year(year=year)
    if not firms:
        raise ValidationError(
            {
                "year": _("No purchases are recorded for %(year)d: there is nothing to publish.")
                % {"year": year}
            }
        )
    city = selectors.lcr_figures(selectors.lcr_years(), year=year)
    try:
        # A savepoint, so that a publication of the same year committed meanwhile by another
        # official is reported as such rather than as a database error.
        with transaction.atomic():
            publication = LcrPublication.objects.create(
                year=year,
                published_by=actor,
                local_value=city["local_value"],
                total_value=city["total_value"],
                lcr_percent=city["lcr_percent"],
                target_percent=city["target_percent"],
            )
    except IntegrityError:
        raise _already_published(selectors.lcr_published(year)) from None
    buyer_ids = dict(
        Enterprise.objects.filter(uscc__in=[row["buyer_uscc"] for row in firms]).values_list(
            "uscc", "pk"
        )
    )
    LcrPublishedFigure.objects.bulk_create(
        LcrPublishedFigure(
            publication=publication,
            buyer_id=buyer_ids[row["buyer_uscc"]],
            local_value=row["local_value"],
            total_value=row["total_value"],
            lcr_percent=row["lcr_percent"],
        )
        for row in firms
    )
    audit_append(
        actor=actor,
        action="lcr_published",
        subject=publication,
        data={
            "year": year,
            "local_value": publication.local_value,
            "total_value": publication.total_value,
            "lcr_percent": publication.lcr_percent,
            "target_percent": publication.target_percent,
            "firms": [[row["buyer_uscc"], row["lcr_percent"]] for row in firms],
        },
    )
    return publication


# --- technical evidence: measurement datasets ----------------------------------------------

#: A typed spec and the fit of its own data may differ by this fraction of the typed value
