"""The officials' workbench kit: a service's refusal lands on the form, actions declared as
data run row by row through the one action page, a row in the wrong state is skipped and
named, and Django offers an action only to users with its permission.

The kit knows no app; these tests lend it the directory's enterprises and a small workflow
of their listing status.
"""

import ast
from pathlib import Path

import pytest
from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import ngettext_lazy

import ssb_portal.admin_kit
from directory.models import Enterprise, ListingStatus
from ssb_portal.admin_kit import (
    DecisionsAdmin,
    ReasonForm,
    RowAction,
    ServiceModelForm,
    StatusAction,
    add_service_errors,
    admin_actions,
    done_counted,
    done_each,
    done_named,
    error_text,
)
from ssb_portal.workflow import Workflow
from tests.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

L = ListingStatus
LISTINGS = Workflow(
    L,
    {
        L.PENDING: {L.VERIFIED: "official", L.RETURNED: "official"},
        L.RETURNED: {L.PENDING: "member"},
        L.VERIFIED: {L.RETURNED: "official"},
    },
)
calls: list[tuple[str, int, dict]] = []


def verified(actor, enterprise: Enterprise, data: dict) -> str:
    calls.append(("verify", enterprise.pk, data))
    Enterprise.objects.filter(pk=enterprise.pk).update(status=L.VERIFIED)
    return "verified"


def noted(actor, enterprise: Enterprise, data: dict) -> None:
    if enterprise.name_en.startswith("Refused"):
        raise ValidationError("The service says no.")
    calls.append(("note", enterprise.pk, data))


class KitReasonForm(ReasonForm):
    help_text = "Why."
    optional_help_text = "Optional: why."


VERIFY = StatusAction(
    name="verify",
    label="Verify",
    workflow=LISTINGS,
    target=L.VERIFIED,
    call=verified,
    done=done_counted(ngettext_lazy("%(count)d verified.", "%(count)d verified.", "count")),
)
NOTE = RowAction(
    name="note",
    label="Write a note",
    form=KitReasonForm,
    call=noted,
    done=done_named("Noted: %(names)s."),
)


class EnterpriseKitAdmin(DecisionsAdmin):
    actions = admin_actions(VERIFY, NOTE)

    def applicable_actions(self, enterprise):
        return ["verify"] if enterprise.status in VERIFY.sources() else []


@pytest.fixture(autouse=True)
def _nothing_called_yet():
    calls.clear()


@pytest.fixture
def model_admin():
    return EnterpriseKitAdmin(Enterprise, AdminSite(name="kit"))


def request_as(rf, user, data: dict | None = None):
    request = rf.post("/admin/directory/enterprise/", data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def run(model_admin, request, name, enterprises):
    action = model_admin.get_actions(request)[name][0]
    queryset = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).order_by("pk")
    return action(model_admin, request, queryset)


def reported(request) -> list[tuple[int, str]]:
    return [(message.level, str(message.message)) for message in get_messages(request)]


# --- a service's refusal on the form ------------------------------------------------------


class NameForm(forms.Form):
    name_zh = forms.CharField()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ValidationError({"name_zh": "Taken."}), {"name_zh": ["Taken."]}),
        (ValidationError({"uscc": "Wrong code."}), {"__all__": ["Wrong code."]}),
        (ValidationError("Closed today."), {"__all__": ["Closed today."]}),
        (PermissionDenied("Officials only."), {"__all__": ["Officials only."]}),
        (PermissionDenied(), {"__all__": ["You may not make this change."]}),
    ],
)
def test_a_service_refusal_lands_on_the_field_it_names_else_above_the_form(error, expected):
    form = NameForm({"name_zh": "甲"})
    assert form.is_valid()

    add_service_errors(error, form)

    assert form.errors == expected


def test_the_error_text_joins_a_refusal_into_one_line():
    assert error_text(ValidationError(["One.", "Two."])) == "One. Two."
    assert error_text(PermissionDenied()) == "You may not make this change."


class PhoneForm(ServiceModelForm):
    class Meta:
        model = Enterprise
        fields = ("name_zh", "phone")

    def call_service(self):
        if self.instance.phone == "0":
            raise ValidationError({"phone": "Give a number that answers."})
        self.instance.save(update_fields=["name_zh", "phone"])
        return self.instance


def test_a_service_model_form_shows_the_services_refusal_on_its_field(sme):
    form = PhoneForm({"name_zh": sme.name_zh, "phone": "0"}, instance=sme)

    assert not form.is_valid()
    assert form.errors == {"phone": ["Give a number that answers."]}
    sme.refresh_from_db()
    assert sme.phone != "0"


def test_a_service_model_form_saves_through_its_service(sme):
    form = PhoneForm({"name_zh": "新名称", "phone": "0571-1"}, instance=sme)

    assert form.is_valid(), form.errors
    sme.refresh_from_db()
    assert (sme.name_zh, sme.phone) == ("新名称", "0571-1")


# --- actions as data, row by row ----------------------------------------------------------


def test_a_row_in_the_wrong_state_is_skipped_and_named(rf, model_admin, admin_user):
    pending = EnterpriseFactory(status=L.PENDING, name_zh="待审核公司")
    already = EnterpriseFactory(status=L.VERIFIED, name_zh="已核实公司")
    request = request_as(rf, admin_user, {"post": "yes"})

    assert run(model_admin, request, "verify", [pending, already]) is None

    assert [pk for _, pk, _ in calls] == [pending.pk]
    assert reported(request) == [
        (message_levels.ERROR, "已核实公司: “Verified” cannot become “Verified”."),
        (message_levels.SUCCESS, "1 verified."),
    ]
    pending.refresh_from_db()
    already.refresh_from_db()
    assert (pending.status, already.status) == (L.VERIFIED, L.VERIFIED)


def test_the_sources_of_a_status_action_come_from_the_table():
    assert VERIFY.sources() == [L.PENDING]


def test_a_refused_row_is_named_and_the_others_go_through(rf, model_admin, admin_user):
    first = EnterpriseFactory(name_en="Accepted One")
    refused = EnterpriseFactory(name_en="Refused Two", name_zh="拒绝公司")
    request = request_as(rf, admin_user, {"post": "yes", "reason": "Checked."})

    run(model_admin, request, "note", [first, refused])

    assert calls == [("note", first.pk, {"reason": "Checked."})]
    assert reported(request) == [
        (message_levels.ERROR, f"{refused}: The service says no."),
        (message_levels.SUCCESS, f"Noted: {first}."),
    ]


def test_the_action_page_lists_the_rows_and_posts_back_with_a_reason(rf, model_admin, admin_user):
    first, second = EnterpriseFactory(name_zh="甲公司"), EnterpriseFactory(name_zh="乙公司")
    request = request_as(rf, admin_user, {ACTION_CHECKBOX_NAME: [first.pk, second.pk]})

    response = run(model_admin, request, "note", [first, second])

    assert response.template_name == "admin/action_form.html"
    page = response.render().content.decode()
    assert "甲公司" in page and "乙公司" in page
    assert "csrfmiddlewaretoken" in page
    assert 'name="reason"' in page and "Why." in page
    assert 'name="action" value="note"' in page and 'name="post" value="yes"' in page
    assert page.count(f'name="{ACTION_CHECKBOX_NAME}"') == 2
    assert "cancel-link" in page
    assert calls == []


def test_a_required_reason_is_asked_again_and_nothing_runs(rf, model_admin, admin_user):
    enterprise = EnterpriseFactory()
    request = request_as(rf, admin_user, {"post": "yes", "reason": "  "})

    response = run(model_admin, request, "note", [enterprise])

    assert response.context_data["form"].errors == {"reason": ["This field is required."]}
    assert "errornote" in response.render().content.decode()
    assert calls == []
    assert reported(request) == []


def test_an_optional_reason_says_so():
    form = KitReasonForm(required=False)
    assert not form.fields["reason"].required
    assert form.fields["reason"].help_text == "Optional: why."


def test_an_action_without_a_form_runs_at_once(rf, admin_user):
    at_once = RowAction(name="verify_now", label="Verify now", form=None, call=verified,
                        done=done_each)  # fmt: skip

    class AtOnceAdmin(DecisionsAdmin):
        actions = admin_actions(at_once)

    model_admin = AtOnceAdmin(Enterprise, AdminSite(name="kit"))
    enterprise = EnterpriseFactory(status=L.PENDING)
    request = request_as(rf, admin_user)

    assert run(model_admin, request, "verify_now", [enterprise]) is None
    assert reported(request) == [(message_levels.SUCCESS, f"{enterprise}: verified")]


# --- permissions --------------------------------------------------------------------------


def test_an_action_is_offered_only_with_its_permission(rf, model_admin):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_enterprise"))
    changer = UserFactory(is_staff=True)
    changer.user_permissions.add(Permission.objects.get(codename="change_enterprise"))

    assert model_admin.get_actions(request_as(rf, viewer)) == {}
    assert set(model_admin.get_actions(request_as(rf, changer))) == {"verify", "note"}


def test_the_decisions_of_a_page_are_those_that_apply_and_are_permitted(rf, model_admin):
    changer = UserFactory(is_staff=True)
    changer.user_permissions.add(Permission.objects.get(codename="change_enterprise"))
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_enterprise"))
    pending = EnterpriseFactory(status=L.PENDING)

    decisions = model_admin.decision_actions_for(request_as(rf, changer), pending)

    assert decisions == [("verify", "Verify")]
    assert model_admin.decision_actions_for(request_as(rf, viewer), pending) == []
    assert model_admin.decision_actions_for(request_as(rf, changer), EnterpriseFactory()) == []


def test_the_page_of_one_row_is_read_only(rf, model_admin, admin_user):
    request = request_as(rf, admin_user)
    assert model_admin.has_change_permission(request) is True
    assert model_admin.has_change_permission(request, EnterpriseFactory()) is False
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request)


# --- the kit stands alone -----------------------------------------------------------------


def test_the_kit_imports_nothing_of_the_apps():
    apps = {"directory", "alliance", "subsidies", "talent", "programme"}
    imported = set()
    for module in Path(ssb_portal.admin_kit.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
    assert not imported & apps
