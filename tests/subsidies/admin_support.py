"""What the workbench tests share: the changelist addresses, posting an action, reading messages.

Officials decide through actions: the action's POST shows its form (a reason, an amount, a
reviewer, a payment reference), the form's POST calls the service once per selected row and
reports each row's outcome.
"""

import html
from decimal import Decimal

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from subsidies.models import Application, ApplicationStatus, ClaimedLine
from tests.factories import PurchaseLineFactory

S = ApplicationStatus


APPLICATIONS = reverse("admin:subsidies_application_changelist")


PROGRAMMES = reverse("admin:subsidies_programme_changelist")


BATCHES = reverse("admin:subsidies_disbursementbatch_changelist")


OBJECTIONS = reverse("admin:subsidies_objection_changelist")


RECOVERIES = reverse("admin:subsidies_recovery_changelist")


AUDIT = reverse("admin:subsidies_auditentry_changelist")


def act(client, url, action, objects, **form):
    """POST an action from a changelist; with form data, POST its form (`post`) too."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    if form:
        data.update(post="yes", **form)
    return client.post(url, data, follow=True)


def messages_of(response) -> list[tuple[int, str]]:
    """Level and text (as read on the page) of the messages shown."""
    return [
        (message.level, html.unescape(str(message.message)))
        for message in response.context["messages"]
    ]


def listed(response) -> set[int]:
    return {obj.pk for obj in response.context["cl"].result_list}


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def status_of(application: Application) -> str:
    application.refresh_from_db()
    return application.status


def claim(application, supplier, *, invoice_no, day, amount="8000.00"):
    line = PurchaseLineFactory(
        buyer=application.applicant,
        supplier=supplier,
        invoice_no=invoice_no,
        invoice_date=day,
        amount=Decimal(amount),
    )
    return ClaimedLine.objects.create(
        application=application,
        purchase_line=line,
        amount_cny=line.amount,
        supplier_uscc=supplier.uscc,
        invoice_key=invoice_no.replace("-", ""),
        line_no=1,
        invoice_date=day,
    )
