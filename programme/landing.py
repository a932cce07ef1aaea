"""Where a person lands after signing in without a page to return to: where their work is.

An official lands on the workbench, whose index is their to-do list; an anchor firm on its
local content ratio (its purchases, confirmations and demands are one click away); an SME on
its listing, beside which its support applications are linked; a university on its
programmes and students; a student on the scholarships. Somebody with no role yet lands on
"My enterprises", which tells them how to register an enterprise or be invited to one.

It reads the directory (memberships) and the talent programme (students), so it lives in
the app that reads every app; the roles themselves are known where they are kept.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from directory.models import Enterprise, EnterpriseKind
from ssb_portal.roles import is_official
from talent.models import Student

#: Enterprise kinds in the order their work comes first for a person who has several.
_LANDING_BY_KIND = (
    (EnterpriseKind.ANCHOR, "lcr:buyer"),
    (EnterpriseKind.SME, "directory:my_enterprise"),
    (EnterpriseKind.UNIVERSITY, "talent:university"),
)


def landing_url(user: AbstractBaseUser) -> str:
    """The page where `user`'s work is (see the module's docstring)."""
    if is_official(user):
        return reverse("admin:index")
    organisations = list(
        Enterprise.objects.filter(memberships__user=user).values_list("kind", "uscc").distinct()
    )
    for kind, url_name in _LANDING_BY_KIND:
        usccs = [uscc for their_kind, uscc in organisations if their_kind == kind]
        if len(usccs) == 1:
            return reverse(url_name, args=[usccs[0]])
        if usccs:  # several of one kind: the list to choose from
            return reverse("directory:my_enterprises")
    if not organisations and Student.objects.filter(user=user).exists():
        return reverse("talent:scholarships")
    return reverse("directory:my_enterprises")


@login_required
def landing(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(landing_url(request.user))
