"""Forms of the officials' workbench whose work is done by a service.

A service refuses with `ValidationError` (naming the field when it can) or `PermissionDenied`;
`add_service_errors` puts either on the form (with `ssb_portal.forms`, which the pages share),
so the official corrects it instead of meeting an error page. `ServiceModelForm` is a model
form saved by its service while it is validated; `ReasonForm` and `ConfirmForm` are what an
action asks before it runs.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from ssb_portal import forms as shared_forms


class ServiceModelForm(forms.ModelForm):
    """A model form whose row is written by a service, called once the fields are valid.

    The form fills its instance and checks each field with the model's own validators
    (amounts ≥ 0, a year from 2000 ...), which form fields do not carry; the rules about the
    whole row are the service's (it validates the row itself, its messages naming the
    figures), so the model's row checks are not run first. `actor` is set per request by
    `ServiceFormAdmin.get_form`.
    """

    actor = None

    def call_service(self) -> Model:
        """Write the row through the service and return it (subclasses say which)."""
        raise NotImplementedError

    def _post_clean(self) -> None:
        opts = self._meta
        self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        model_opts = opts.model._meta
        for name, value in list(self.cleaned_data.items()):
            try:
                field = model_opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.concrete or value in field.empty_values:
                continue
            try:
                field.run_validators(value)
            except ValidationError as error:
                self.add_error(name, error)
        if self._errors:
            return
        try:
            self.instance = self.call_service()
        except (ValidationError, PermissionDenied) as error:
            shared_forms.add_service_errors(error, self)


class ServiceFormAdmin(admin.ModelAdmin):
    """The admin of a `ServiceModelForm`: the form's service saves the row; nothing is
    deleted here (the record refers to these rows)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing to do: the form's service saved the row when the form was validated."""

    def has_delete_permission(self, request, obj=None):
        return False


class ConfirmForm(forms.Form):
    """Nothing to fill in: the page lists the rows and asks for the go-ahead."""


class ReasonForm(forms.Form):
    """One text saying why, kept with the decision; `required=False` makes it optional.

    Subclasses name the field (`field_name`) and say where the text goes (`help_text`,
    `optional_help_text`, and `optional_label` where the optional text is no reason).
    """

    required_css_class = "required"
    field_name = "reason"
    label = _("Reason")
    optional_label = None
    help_text = ""
    optional_help_text = ""

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        text = forms.CharField(
            label=self.label if required else self.optional_label or self.label,
            required=required,
            widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
            help_text=self.help_text if required else self.optional_help_text,
        )
        self.fields = {self.field_name: text, **self.fields}  # the reason comes first
