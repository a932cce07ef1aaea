from django import forms
from django.utils.translation import gettext_lazy as _

from ssb_portal.reminders.registry import kinds


class ReminderPreferencesForm(forms.Form):
    """The kinds of reminder a person is mailed: every registered kind, ticked unless opted out."""

    receive = forms.MultipleChoiceField(
        label=_("Mail me reminders of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Unticked kinds are still listed under “Due”, but not mailed."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receive"].choices = [(kind.key, kind.label) for kind in kinds()]
