"""Every change of state in the Industry Alliance: one function per user action.

Each runs in one transaction, checks who may act, records an AllianceEvent (who, what,
why) and sends email only after commit. One module per sub-domain (membership, demands,
responses and meetings, collaborations, standards); what they share is in `common`.

Re-exported here for the callers outside these modules: alliance/admin.py (member_approve,
member_decline, participation_decide), subsidies' seed_programmes command (standard_register,
participation_declare, participation_decide) and bench/alliance_matching.py
(supplier_history_refresh).
"""

from alliance.services.membership import member_approve, member_decline
from alliance.services.standards import (
    participation_decide,
    participation_declare,
    standard_register,
)
from alliance.services.supplier_history import supplier_history_refresh

__all__ = [
    "member_approve",
    "member_decline",
    "participation_decide",
    "participation_declare",
    "standard_register",
    "supplier_history_refresh",
]
