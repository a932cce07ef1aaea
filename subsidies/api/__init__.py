"""The support programmes' REST API: thin views that parse input, call one service or selector,
and render the result.

Programmes are public. Applications are seen by the members of the applicant and by officials;
an application the user may not see answers 404, a move the user may not make answers 403, and
bad input answers 400 with the message under the field's name. Amounts are CNY as decimal
strings with two places ("19500.03"), never floats.

The modules: serializers (input and output) and viewsets; the FilterSets live in
`subsidies.filters`, next to the selectors.
"""
