"""Pages of the portal as a whole (the apps have their own)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language, gettext
from django.views import defaults
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ssb_portal.languages import language_preference_set
from ssb_portal.stored_files import StoredFileMissing


@require_POST
def set_language(request):
    """Django's language switch, which also remembers a signed-in user's choice for email."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language and check_for_language(language):
        language_preference_set(user=request.user, language=language)
    return response


def page_not_found(request, exception):
    """Django's 404 page; under /api/ the API's own answer, `{"detail": …}` in JSON, as the
    schema documents for every operation (an address no route matches, such as a negative id)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    if isinstance(exception, StoredFileMissing):
        # The row is there but its file is not (a lost disk, a restore without the files).
        return render(request, "stored_file_missing.html", status=404)
    return defaults.page_not_found(request, exception)
