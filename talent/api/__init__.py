"""The talent programme's REST API: thin views that parse input, call one service or selector,
and render the result.

The dashboard (figures only, nobody named) and the scholarship funds are public. Personal
data is scoped by `talent.selectors`: a university's staff see its students, internships and
graduate reports; a host enterprise's members see the internships it hosts, the graduates it
hired and its overseas experts; a student sees their own record and scholarship applications;
officials see everything. A record the user may not see answers 404, a move the user may not
make answers 403, and bad input answers 400 with the message under the field's name. Amounts
are CNY as decimal strings with two places ("20000.00"), never floats.

One module per resource: `students`, `internships`, `graduates`, `experts`, `scholarships`
(funds and applications) and `dashboard`; `common` holds what their views share and
`talent.filters` their FilterSets. `talent.api_urls` routes them.
"""
