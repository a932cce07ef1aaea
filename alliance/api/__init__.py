"""The Industry Alliance's REST API: thin views that parse input, call one service or selector,
and render the result.

The member list and the standards are public. Demands are seen as the selectors allow (their
owner, the members for open demands to all members, the invited SMEs for private ones,
officials); a record the user may not see answers 404, a move the user may not make answers
403, and bad input answers 400 with the message under the field's name. Amounts are CNY as
decimal strings with two places ("19500.03"), never floats.
"""
