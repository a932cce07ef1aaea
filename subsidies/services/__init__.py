"""Every change of state in the support programmes: one function per user action.

Each runs in one transaction, checks who may act, records the change (a Transition row for
the application's history and an entry in the hash-chained audit log) and sends email only
after commit. Money moves (approval, notice, payment, recovery) lock the programme's row and
the enterprise's (or its group's) row, always in that order, so concurrent decisions can
neither overspend a budget nor pass a cap, nor deadlock each other.

The modules, by concern: drafting, submission, reviews, approvals, notices_and_objections,
disbursements, recoveries, programmes, milestones; what they share lives in guards,
notifications and transitions. Import each name from its module.
"""
