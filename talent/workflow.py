"""The talent programme's workflows as data: who may move an internship or a scholarship
application, and where.

An internship is offered by the university (or the host); the host enterprise confirms it,
and then either side completes it with its outcome or cancels it:
    offered ──confirm (host)──> ongoing ──complete (either side)──> completed
       └──────cancel (either side)──┴──────────> cancelled

A student's scholarship application awaits the officials' decision; the student may
withdraw it until then:
    submitted ──award (official)──> awarded
        ├──────close the round (official)──> not awarded
        └──────withdraw (student)──> withdrawn

Some moves need more than the role; the services check these conditions: completing an
internship needs its outcome and only the host confirms a hire; an award needs a review (a
renewal a satisfactory one) and a free place in the fund.

Training bases and overseas experts have statuses too, but no workflow: the university or
the host records whichever status is true today, in any order.
"""

from django.utils.translation import gettext_lazy as _

from ssb_portal.workflow import Workflow
from talent.models import InternshipStatus, ScholarshipStatus

HOST = "host"  # a member of the host enterprise
UNIVERSITY = "university"  # a member of the student's university
EITHER = (HOST, UNIVERSITY)
STUDENT = "student"  # the applicant, through their linked account
OFFICIAL = "official"

INTERNSHIP_WORKFLOW = Workflow(
    statuses=InternshipStatus,
    moves={
        InternshipStatus.OFFERED: {
            InternshipStatus.ONGOING: HOST,
            InternshipStatus.CANCELLED: EITHER,
        },
        InternshipStatus.ONGOING: {
            InternshipStatus.COMPLETED: EITHER,
            InternshipStatus.CANCELLED: EITHER,
        },
        InternshipStatus.COMPLETED: {},
        InternshipStatus.CANCELLED: {},
    },
    refusal=_("An internship that is “%(current)s” cannot become “%(target)s”."),
    # The one move a single side makes is the host's confirmation.
    forbidden=_("The host enterprise confirms the internship."),
)

SCHOLARSHIP_WORKFLOW = Workflow(
    statuses=ScholarshipStatus,
    moves={
        ScholarshipStatus.SUBMITTED: {
            ScholarshipStatus.AWARDED: OFFICIAL,
            ScholarshipStatus.NOT_AWARDED: OFFICIAL,
            ScholarshipStatus.WITHDRAWN: STUDENT,
        },
        ScholarshipStatus.AWARDED: {},
        ScholarshipStatus.NOT_AWARDED: {},
        ScholarshipStatus.WITHDRAWN: {},
    },
    refusals={
        ScholarshipStatus.WITHDRAWN: _("Only an application awaiting a decision can be withdrawn.")
    },
)
