"""The officials' workbench for the talent programme.

Officials set each year's scholarship fund, review and award the applications, and record the
overseas experts here; everything else (programmes, training bases, students, internships,
graduate reports) belongs to the universities and enterprises, which manage it on their
pages: officials read it here and change nothing. The record (TalentEvent) is written only
by the services; nobody adds, changes or deletes it.

Every write goes through `talent.services`, which checks the official's role again. The forms
that add or change a fund or an expert call their service while the form is validated, so a
refusal (contributions that do not cover n × A, a missing signing date) is shown on the form.
Decisions on applications are actions of the list (or buttons on an application's page): an
action first asks for its input or a confirmation, then calls the service; a refused row is
reported with the service's own words and changes nothing.

One module per concern; importing them registers their admins.
"""

from talent.admin import experts, funds, records, scholarships, waiting  # noqa: F401
