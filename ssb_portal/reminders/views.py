"""The signed-in person's due list and their choice of reminders mailed."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ssb_portal.pages import form_carried_out, form_status, posted
from ssb_portal.reminders import selectors, services
from ssb_portal.reminders.forms import ReminderPreferencesForm
from ssb_portal.reminders.header import due_count_remember
from ssb_portal.reminders.registry import kinds


@login_required
def due(request: HttpRequest) -> HttpResponse:
    items = selectors.due_for(request.user)
    due_count_remember(request, len(items))
    return render(request, "reminders/due.html", {"due_items": items})


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    opted_out = selectors.opted_out_kinds(request.user)
    initial = {"receive": [kind.key for kind in kinds() if kind.key not in opted_out]}
    form = ReminderPreferencesForm(posted(request), initial=initial)
    if request.method == "POST":
        done = form_carried_out(
            request,
            form,
            lambda: services.reminder_preferences_set(
                actor=request.user, receive=set(form.cleaned_data["receive"])
            ),
            success=_("Your choice of reminders is saved."),
            to="reminders:settings",
        )
        if done:
            return done
    return render(request, "reminders/settings.html", {"form": form}, status=form_status(form))
