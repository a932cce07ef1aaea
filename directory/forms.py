"""Forms of the directory's pages. They parse and check input; the services write."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from directory import selectors
from directory.filters import SPEC_THRESHOLDS
from directory.models import (
    CapacityUnit,
    Certification,
    Enterprise,
    EnterpriseKind,
    Product,
    SupplyCategory,
)
from directory.passport.thresholds import PASSPORT_THRESHOLDS
from directory.services.enterprises import ENTERPRISE_EDITABLE_FIELDS
from directory.services.products import CERTIFICATION_EDITABLE_FIELDS, PRODUCT_EDITABLE_FIELDS
from directory.templatetags.directory_tags import local_name
from directory.validators import normalise_uscc, validate_uscc

# Product specs in display order; their units are in the model fields' verbose names.
SPEC_FIELDS = (
    "ionic_conductivity",
    "asr",
    "specific_capacity",
    "decay_rate",
    "coulombic_efficiency",
    "coulombic_efficiency_cycles",
    "weight_reduction",
    "local_content_share",
    "price",
)


def category_choices(
    *, value: Callable[[SupplyCategory], Any], include_parents: bool
) -> list[tuple[str, list[tuple[Any, str]]]]:
    """Categories grouped under their parent (the parent itself first when it may be chosen)."""
    groups = []
    for parent in selectors.category_tree():
        name = local_name(parent)
        options = [(value(child), local_name(child)) for child in parent.children.all()]
        if include_parents or not options:
            label = _("%(name)s (all)") % {"name": name} if options else name
            options.insert(0, (value(parent), label))
        groups.append((name, options))
    return groups


class ServiceFormMixin:
    """A form whose cleaned values go to a service that takes `service_fields`."""

    service_fields: tuple[str, ...] = ()

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.service_fields}


def initial_with_pending(instance: Enterprise | Product, fields: tuple[str, ...]) -> dict:
    """A listing as its members last submitted it: verified values with pending edits on top."""
    initial = {name: getattr(instance, instance._meta.get_field(name).attname) for name in fields}
    initial.update(instance.pending_changes or {})
    return initial


# --- search --------------------------------------------------------------------------------


YES_NO_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


def style_search_form(form: forms.Form) -> None:
    """Dress the search FilterSet's form for the page: grouped categories, yes/no selects."""
    # Only the widget is regrouped: the field still validates against its queryset.
    form.fields["category"].widget.choices = [
        ("", _("All categories")),
        *category_choices(value=lambda category: category.slug, include_parents=True),
    ]
    form.fields["district"].label_from_instance = local_name
    form.fields["district"].empty_label = _("All districts")
    for name in ("is_local", "recommended", "evidence_backed"):
        form.fields[name].widget = forms.Select(choices=YES_NO_ANY)
        # The page offers a select, not the API's true/false words.
        form.fields[name].error_messages["invalid"] = _("Choose Yes, No or Any.")
    # django-filter's choice widgets keep the iterator of the filter's own field: rebind it.
    for name, empty_label in [
        ("kind", _("Any")),
        ("certification", _("Any")),
        ("ordering", _("Name (default)")),
    ]:
        field = form.fields[name]
        field.empty_label = empty_label
        field.widget.choices = field.choices
    form.fields["category"].help_text = _("A main category includes all its subcategories.")
    form.fields["q"].widget.attrs.update(
        {"type": "search", "placeholder": _("e.g. sulfide, 硫化物, binder")}
    )
    for name in [*SPEC_THRESHOLDS, *PASSPORT_THRESHOLDS]:
        form.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})


def asked_spec_fields(cleaned_data: dict) -> list[str]:
    """The product fields a valid search set a threshold on (the result shows them first)."""
    return [
        field
        for name, (field, _lookup) in SPEC_THRESHOLDS.items()
        if cleaned_data.get(name) is not None
    ]


# --- accounts ------------------------------------------------------------------------------


class NewAccountForm(forms.Form):
    """A username and a password typed twice; the service applies Django's password rules."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned


class SignupAccountForm(NewAccountForm):
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We send the confirmation link to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["username", "email", "password", "password_confirm"]


# --- enterprises ---------------------------------------------------------------------------


class USCCField(forms.CharField):
    """Accepts the code as people paste it (spaces, lower case) and checks it as printed."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_uscc(value) if value else value


class EnterpriseProfileForm(ServiceFormMixin, forms.ModelForm):
    service_fields = ENTERPRISE_EDITABLE_FIELDS
    categories = forms.ModelMultipleChoiceField(
        label=_("Supply categories"),
        queryset=SupplyCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What you supply to the industry chain; anchor firms search by these."),
    )

    class Meta:
        model = Enterprise
        fields = (*ENTERPRISE_EDITABLE_FIELDS, "categories")
        widgets = {
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices(
            value=lambda category: category.pk, include_parents=False
        )
        self.fields["district"].label_from_instance = local_name
        self.fields["district"].empty_label = _("Choose a district")
        self.fields["kind"].choices = [("", _("Choose a kind")), *EnterpriseKind.choices]
        self.fields["capacity_unit"].choices = [("", "—"), *CapacityUnit.choices]
        capacity = self.fields["annual_capacity"]
        capacity.validators.append(MinValueValidator(0))
        capacity.widget.attrs["min"] = 0

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("annual_capacity") is not None and not cleaned.get("capacity_unit"):
            self.add_error("capacity_unit", _("Choose the unit of the capacity."))
        return cleaned

    def category_groups(self) -> list:
        """The category checkboxes by parent, for the template: (group label, [option, ...])."""
        options = iter(self["categories"].subwidgets)
        return [
            (group, [next(options) for _ in choices])
            for group, choices in self.fields["categories"].choices
        ]


class EnterpriseRegistrationForm(EnterpriseProfileForm):
    service_fields = ("uscc", *ENTERPRISE_EDITABLE_FIELDS)
    uscc = USCCField(
        label=Enterprise._meta.get_field("uscc").verbose_name,
        help_text=Enterprise._meta.get_field("uscc").help_text,
        validators=[validate_uscc],
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )

    class Meta(EnterpriseProfileForm.Meta):
        fields = ("uscc", *EnterpriseProfileForm.Meta.fields)

    #: The listing that holds the code already, when the form refused it for that: the page
    #: then says how to join it.
    registered_listing: Enterprise | None = None

    def clean_uscc(self) -> str:
        uscc = self.cleaned_data["uscc"]
        self.registered_listing = Enterprise.objects.filter(uscc=uscc).first()
        if self.registered_listing is not None:
            raise forms.ValidationError(
                _("An enterprise with this code is registered on the portal already."),
                code="registered",
            )
        return uscc


def enterprise_profile_initial(enterprise: Enterprise) -> dict[str, Any]:
    categories = [category.pk for category in enterprise.categories.all()]
    return initial_with_pending(enterprise, ENTERPRISE_EDITABLE_FIELDS) | {
        "categories": (enterprise.pending_changes or {}).get("categories", categories)
    }


# --- products and certifications -----------------------------------------------------------


class ProductForm(ServiceFormMixin, forms.ModelForm):
    service_fields = PRODUCT_EDITABLE_FIELDS

    class Meta:
        model = Product
        fields = PRODUCT_EDITABLE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Choose a category")),
            *category_choices(value=lambda category: category.pk, include_parents=False),
        ]
        # The model validates its bounds (reported next to the field); the browser learns
        # them from the same validators.
        for name in SPEC_FIELDS:
            field = self.fields[name]
            if isinstance(field, forms.IntegerField):
                # A cycle count: only the database's integer range bounds it.
                continue
            field.widget.attrs["step"] = "any"
            for validator in Product._meta.get_field(name).validators:
                if isinstance(validator, MinValueValidator):
                    field.widget.attrs["min"] = validator.limit_value
                elif isinstance(validator, MaxValueValidator):
                    field.widget.attrs["max"] = validator.limit_value


class CertificationForm(ServiceFormMixin, forms.ModelForm):
    service_fields = CERTIFICATION_EDITABLE_FIELDS

    class Meta:
        model = Certification
        fields = CERTIFICATION_EDITABLE_FIELDS
        widgets = {"valid_until": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's email"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "They receive a link to join, valid for %(days)d days."
        ) % {"days": settings.INVITATION_VALID_DAYS}
