"""What every form of ours shares, on the pages and in the admin alike: a service's refusal
put on the form (on the field it names, else above the form) or said in one line of text.

A service refuses with `ValidationError` (naming the field when it can) or `PermissionDenied`;
`add_service_errors` puts either on the form, so the user corrects it instead of meeting an
error page.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext


def error_text(error: Exception) -> str:
    """A service's refusal as one line of text."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error) or gettext("You may not make this change.")


def add_service_errors(error: ValidationError | PermissionDenied, *forms_: forms.BaseForm) -> None:
    """Show a service's refusal on the field it names, in the first form that has it; what
    names no field of these forms goes above the first form."""
    if isinstance(error, PermissionDenied):
        forms_[0].add_error(None, error_text(error))
        return
    if not hasattr(error, "error_dict"):
        forms_[0].add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form = next((form for form in forms_ if field in form.fields), None)
        if form is None:
            forms_[0].add_error(None, messages)
        else:
            form.add_error(field, messages)
