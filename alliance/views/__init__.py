"""The Industry Alliance's server-rendered pages.

Public: the member directory, a member's page and the standards list. Alliance members: the
demand board, a demand with its responses, meetings and agreement, the owner's matches, an
SME's "demands for you", collaborations with milestones, documents and deliveries.

Every page parses input, calls one selector or service and renders the result. Demands,
responses, meetings and collaborations are found through the member-scoped selectors, so
what a user may not see answers 404; a service's PermissionDenied (a user who sees a thing
but may not act on it) answers 403.
"""
