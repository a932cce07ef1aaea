"""The officials' side of the Industry Alliance.

Officials decide membership applications and confirm standards participations here, and
follow the demands, collaborations and the alliance's record. Every decision goes through
`alliance.services`, which checks again that the actor is an official: the change pages are
read-only, and an action first asks for a reason (the directory's reason form), then calls
the service once per selected row. A refused row is reported with the service's own words
and changes nothing; the other rows still go through.

Demands, responses, collaborations and standards belong to the members who wrote them
(through the portal's services): officials read them here and change nothing. The record
(AllianceEvent) is written only by the services; nobody adds, changes or deletes it here.

One module per concern; importing them registers their admins.
"""

from alliance.admin import (  # noqa: F401
    collaborations,
    demands,
    demonstrations,
    members,
    record,
    standards,
    waiting,
)
