"""Every change of state in the support programmes: one function per user action.

Each runs in one transaction, checks who may act, records the change (a Transition row for
the application's history and an entry in the hash-chained audit log) and sends email only
after commit. Money moves (approval, notice, payment, recovery) lock the programme's row and
the enterprise's (or its group's) row, always in that order, so concurrent decisions can
neither overspend a budget nor pass a cap, nor deadlock each other.

The modules, by concern: drafting, submission, reviews, approvals, notices_and_objections,
disbursements, recoveries, programmes, milestones; what they share lives in guards,
notifications and transitions. Below, the names the officials' admin and the benchmarks
call as `subsidies.services.<name>`; code of this app imports from the module itself.
"""

from subsidies.services.approvals import (
    appeal_decide,
    application_approve,
    application_confirm,
    application_decline_confirmation,
)
from subsidies.services.disbursements import (
    disbursement_batch_mark_paid,
    disbursement_batch_prepare,
)
from subsidies.services.drafting import (
    CLAIM_FIELDS,
    application_create,
    application_set_lines,
    document_add,
)
from subsidies.services.notices_and_objections import notice_publish, objection_resolve
from subsidies.services.programmes import programme_save, support_cap_set
from subsidies.services.recoveries import (
    recovery_open,
    recovery_record_repayment,
    recovery_write_off,
)
from subsidies.services.reviews import (
    application_reject,
    application_return,
    application_start_review,
    conflict_declare,
    land_round_rank,
    review_assign,
    review_submit,
)
from subsidies.services.submission import application_submit, application_withdraw, message_post

__all__ = [
    "CLAIM_FIELDS",
    "appeal_decide",
    "application_approve",
    "application_confirm",
    "application_create",
    "application_decline_confirmation",
    "application_reject",
    "application_return",
    "application_set_lines",
    "application_start_review",
    "application_submit",
    "application_withdraw",
    "conflict_declare",
    "disbursement_batch_mark_paid",
    "disbursement_batch_prepare",
    "document_add",
    "land_round_rank",
    "message_post",
    "notice_publish",
    "objection_resolve",
    "programme_save",
    "recovery_open",
    "recovery_record_repayment",
    "recovery_write_off",
    "review_assign",
    "review_submit",
    "support_cap_set",
]
