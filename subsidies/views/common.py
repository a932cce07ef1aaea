"""What the support programmes' pages share: amounts and a programme's rule in words, the
application's URL, and the checks that say which moves an applicant may make.
"""

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ssb_portal.pages import url_at
from subsidies.models import Application, DocumentKind, Programme, ProgrammeKind
from subsidies.models import ApplicationStatus as S
from subsidies.workflow import APPLICANT, APPLICATION_WORKFLOW

PAGE_SIZE = 20


def money_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=2, force_grouping=True)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def programme_rule(programme: Programme) -> str:
    """The programme's rule in words, with its parameters: how the award is computed."""
    kind = programme.kind
    rate = programme.rate_percent
    if kind == ProgrammeKind.LOCAL_PROCUREMENT and rate is not None:
        return _(
            "%(rate)s %% of the claimed local purchases: your invoice lines from verified local "
            "suppliers in the eligible categories, invoiced in %(year)s."
        ) % {"rate": _percent(rate), "year": programme.year}
    if kind == ProgrammeKind.DEMONSTRATION_PROCUREMENT and rate is not None:
        return _(
            "%(rate)s %% of the value of local solid-state battery packs bought for a registered "
            "demonstration scenario, invoiced in %(year)s."
        ) % {"rate": _percent(rate), "year": programme.year}
    if kind == ProgrammeKind.STANDARDS_REWARD:
        return _(
            "%(lead)s CNY for leading and %(participate)s CNY for participating in an "
            "international standard; one reward per enterprise and standard."
        ) % {
            "lead": money_text(programme.lead_reward_cny),
            "participate": money_text(programme.participate_reward_cny),
        }
    if kind == ProgrammeKind.NATIONAL_MATCHING and rate is not None:
        return _("%(rate)s %% of the total investment of the national major project.") % {
            "rate": _percent(rate)
        }
    if kind == ProgrammeKind.RD_FUND:
        if programme.max_award_cny is not None:
            return _(
                "The amount officials approve for the proposal, at most %(cap)s CNY per proposal."
            ) % {"cap": money_text(programme.max_award_cny)}
        return _("The amount officials approve for the proposal.")
    if kind == ProgrammeKind.ENERGY_QUOTA:
        return _(
            "The annual energy quota is raised to 1.10 × the standard quota (tce per year); "
            "no money is paid."
        )
    if kind == ProgrammeKind.LAND_PRIORITY:
        return _("Officials rank the round's requests for industrial land; no money is paid.")
    return _("Set by the programme's rule.")


def _document_labels(kinds: list[str]) -> list[str]:
    return [DocumentKind(kind).label for kind in kinds if kind in DocumentKind.values]


def dress_programme(programme: Programme) -> Programme:
    """Attach what the programme pages show in words."""
    programme.rule_text = programme_rule(programme)
    programme.required_document_labels = _document_labels(programme.required_documents)
    return programme


def application_url(application: Application, anchor: str = "") -> str:
    return url_at("subsidies:application", application.pk, anchor=anchor)


def not_editable(request: HttpRequest, application: Application) -> HttpResponse:
    messages.error(
        request,
        _("Only a draft or a returned application can be changed; this one is “%(status)s”.")
        % {"status": application.get_status_display()},
    )
    return redirect(application_url(application))


def can_move(application: Application, to_status: str) -> bool:
    return APPLICATION_WORKFLOW.allows(application.status, to_status, APPLICANT)


def appealable_rejection(application: Application, transitions: list, appeals: list):
    """The official's rejection the applicant may still appeal, or None (once per rejection)."""
    if application.status != S.REJECTED:
        return None
    rejections = [
        t for t in transitions if t.to_status == S.REJECTED and t.from_status != S.APPEALED
    ]
    rejection = rejections[-1] if rejections else None
    if rejection is None or any(appeal.rejection_id == rejection.pk for appeal in appeals):
        return None
    return rejection
