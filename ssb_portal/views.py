"""Pages of the portal as a whole (the apps have their own)."""

from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ssb_portal.languages import language_preference_set


@require_POST
def set_language(request):
    """Django's language switch, which also remembers a signed-in user's choice for email."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language and check_for_language(language):
        language_preference_set(user=request.user, language=language)
    return response
