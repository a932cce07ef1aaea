"""The talent programme's server-rendered pages.

Public: the programme's overview and its dashboard (aggregates only, no person named) with
CSV/XLSX export. A university's staff: its workspace (programmes, training bases, students,
internships, graduate reports). An enterprise's members: the internships it hosts, the
graduates reported as its hires, its overseas experts. A student: scholarships.

Every page parses input, calls one selector or service and renders the result. Universities,
enterprises and the records under them are found through the member-scoped selectors, so what
a user may not see answers 404; a service's PermissionDenied (a user who sees a thing but may
not do this to it) answers 403.

One module per audience: `public` (overview, dashboard, export), `university` (the workspace),
`graduates` (the university's graduate reports), `enterprise` (internships hosted, hires,
experts) and `scholarships` (the student's side); `internships` holds the rows and moves both
sides share, `common` the helpers of every page. The dashboard's charts are drawn with the
shared chart kit (`ssb_portal.charts`) and directory's LCR chart.
"""
