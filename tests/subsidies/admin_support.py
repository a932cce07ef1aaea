"""What the subsidies workbench tests share: the changelist addresses, posting an action (always
followed), reading messages.

Officials decide through actions: the action's POST shows its form (a reason, an amount, a
reviewer, a payment reference), the form's POST calls the service once per selected row and
reports each row's outcome.
"""

from decimal import Decimal
from functools import partial

from django.urls import reverse

from subsidies.models import Application, ApplicationStatus, ClaimedLine
from tests import admin_support
from tests.factories import PurchaseLineFactory

S = ApplicationStatus


APPLICATIONS = reverse("admin:subsidies_application_changelist")


PROGRAMMES = reverse("admin:subsidies_programme_changelist")


BATCHES = reverse("admin:subsidies_disbursementbatch_changelist")


OBJECTIONS = reverse("admin:subsidies_objection_changelist")


RECOVERIES = reverse("admin:subsidies_recovery_changelist")


AUDIT = reverse("admin:ssb_portal_auditentry_changelist")


# The subsidies tests read the messages of actions that have no form too: always follow.
act = partial(admin_support.act, follow=True)


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def status_of(application: Application) -> str:
    application.refresh_from_db()
    return application.status


def claim(application, supplier, *, invoice_no, day, amount="8000.00", invoice_code=""):
    line = PurchaseLineFactory(
        buyer=application.applicant,
        supplier=supplier,
        invoice_code=invoice_code,
        invoice_no=invoice_no,
        invoice_date=day,
        amount=Decimal(amount),
        confirmation="confirmed",
    )
    return ClaimedLine.objects.create(
        application=application,
        purchase_line=line,
        amount_cny=line.amount,
        supplier_uscc=supplier.uscc,
        invoice_code=invoice_code,
        invoice_key=invoice_no.replace("-", ""),
        line_no=1,
        invoice_date=day,
    )
