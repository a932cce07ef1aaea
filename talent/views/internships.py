"""The internship rows and moves shared by the university's workspace and the enterprise's
page: which moves each side may make, and making one."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from ssb_portal.pages import error_messages
from talent import services
from talent.forms import (
    HOST_OUTCOMES,
    UNIVERSITY_OUTCOMES,
    InternshipMoveForm,
)
from talent.models import (
    Internship,
    InternshipStatus,
)
from talent.workflow import INTERNSHIP_WORKFLOW


@dataclass
class InternshipRow:
    internship: Internship
    can_confirm: bool
    can_complete: bool
    can_cancel: bool
    outcomes: list[tuple[str, str]]


def internship_rows(internships, side: str) -> list[InternshipRow]:
    """One row per internship with the moves its `side` ("university" or "host") may make."""
    outcomes = UNIVERSITY_OUTCOMES if side == "university" else HOST_OUTCOMES
    choices = [(outcome.value, outcome.label) for outcome in outcomes]
    rows = []
    for internship in internships:
        moves = INTERNSHIP_WORKFLOW.next_statuses(internship.status)
        rows.append(
            InternshipRow(
                internship=internship,
                can_confirm=side == "host" and InternshipStatus.ONGOING in moves,
                can_complete=InternshipStatus.COMPLETED in moves,
                can_cancel=InternshipStatus.CANCELLED in moves,
                outcomes=choices,
            )
        )
    return rows


MOVE_DONE = {
    InternshipStatus.ONGOING: gettext_lazy("The internship is confirmed."),
    InternshipStatus.COMPLETED: gettext_lazy("The internship is completed."),
    InternshipStatus.CANCELLED: gettext_lazy("The internship is cancelled."),
}


def move_internship(request: HttpRequest, internship: Internship, back: str) -> HttpResponse:
    """Apply the posted move (InternshipMoveForm) to the internship, report the outcome as
    a message and redirect to `back`."""
    form = InternshipMoveForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return redirect(back)
    to_status = form.cleaned_data["to_status"]
    try:
        services.internship_move(
            actor=request.user,
            internship=internship,
            to_status=to_status,
            outcome=form.cleaned_data["outcome"],
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, MOVE_DONE[InternshipStatus(to_status)])
    return redirect(back)
