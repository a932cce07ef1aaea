"""The officials' workbench for the support programmes, in the Django admin.

Officials decide through actions: the action's POST shows its form (a reason, an amount, a
reviewer, a payment reference), the form's POST calls the service once per selected row and
reports each row's outcome. Change pages are read-only; forms that create rows (programmes,
conflicts, caps) save through their service and show its refusals on the form.
"""

import datetime
import html
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import constants as message_levels
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Enterprise, EnterpriseGroup
from subsidies.models import (
    Application,
    ApplicationStatus,
    AuditEntry,
    ClaimedLine,
    ConflictDeclaration,
    DisbursementBatch,
    KpiTarget,
    Message,
    Milestone,
    Notice,
    Objection,
    Programme,
    Recovery,
    Review,
    SupportCap,
    Transition,
)
from subsidies.services.approvals import application_approve
from subsidies.services.disbursements import disbursement_batch_mark_paid
from subsidies.services.programmes import support_cap_set
from subsidies.services.recoveries import recovery_open, recovery_record_repayment
from subsidies.services.reviews import (
    application_reject,
    application_start_review,
    conflict_declare,
    review_assign,
)
from subsidies.services.submission import appeal_file, message_post
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    UserFactory,
)

S = ApplicationStatus
APPLICATIONS = reverse("admin:subsidies_application_changelist")
PROGRAMMES = reverse("admin:subsidies_programme_changelist")
BATCHES = reverse("admin:subsidies_disbursementbatch_changelist")
OBJECTIONS = reverse("admin:subsidies_objection_changelist")
RECOVERIES = reverse("admin:subsidies_recovery_changelist")
AUDIT = reverse("admin:subsidies_auditentry_changelist")

pytestmark = pytest.mark.django_db


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


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


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [APPLICATIONS, PROGRAMMES, BATCHES, AUDIT])
def test_an_enterprise_user_cannot_reach_the_workbench(client, anchor, url):
    client.force_login(anchor.owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_official_sees_every_workbench_list(official_client):
    response = official_client.get(reverse("admin:index"))
    for name in (
        "programme",
        "application",
        "review",
        "notice",
        "objection",
        "disbursementbatch",
        "recovery",
        "conflictdeclaration",
        "supportcap",
        "auditentry",
    ):
        url = reverse(f"admin:subsidies_{name}_changelist")
        assert url.encode() in response.content, name
        assert official_client.get(url).status_code == 200, name


# --- the queues ---------------------------------------------------------------------------


@pytest.fixture
def queue(anchor, sme):
    """Applications of two programmes in several states."""
    procurement = ProgrammeFactory(kind="local_procurement", name_en="Procurement 2026")
    standards = ProgrammeFactory(kind="standards_reward", name_en="Standards 2026")
    return {
        "submitted": ApplicationFactory(
            programme=procurement,
            applicant=anchor,
            status=S.SUBMITTED,
            computed_amount_cny=Decimal("5000.00"),
            submitted_at=timezone.now(),
        ),
        "under_review": ApplicationFactory(
            programme=procurement, applicant=sme, status=S.UNDER_REVIEW
        ),
        "standards": ApplicationFactory(programme=standards, applicant=sme, status=S.SUBMITTED),
        "draft": ApplicationFactory(programme=standards, applicant=anchor, status=S.DRAFT),
    }


def test_the_changelist_shows_the_columns(official_client, queue):
    response = official_client.get(APPLICATIONS)
    assert response.status_code == 200
    assert listed(response) == {application.pk for application in queue.values()}
    content = response.content.decode()
    for heading in (
        "Applicant",
        "Programme",
        "Status",
        "Computed amount (CNY)",
        "Awarded amount (CNY)",
        "Submitted at",
        "Open objections",
        "Near-duplicate",
    ):
        assert heading.lower() in content.lower(), heading
    assert f"#{queue['submitted'].pk}" in content
    assert "5,000.00" in content


def test_the_queues_filter_by_status_programme_and_kind(official_client, queue):
    submitted = official_client.get(APPLICATIONS, {"status__exact": "submitted"})
    assert listed(submitted) == {queue["submitted"].pk, queue["standards"].pk}
    programme = queue["standards"].programme
    of_programme = official_client.get(APPLICATIONS, {"programme__id__exact": programme.pk})
    assert listed(of_programme) == {queue["standards"].pk, queue["draft"].pk}
    of_kind = official_client.get(APPLICATIONS, {"kind__exact": "local_procurement"})
    assert listed(of_kind) == {queue["submitted"].pk, queue["under_review"].pk}


def test_the_changelist_searches_by_uscc_and_names(official_client, queue, anchor, sme):
    assert listed(official_client.get(APPLICATIONS, {"q": sme.uscc})) == {
        queue["under_review"].pk,
        queue["standards"].pk,
    }
    assert listed(official_client.get(APPLICATIONS, {"q": anchor.name_zh})) == {
        queue["submitted"].pk,
        queue["draft"].pk,
    }
    assert listed(official_client.get(APPLICATIONS, {"q": anchor.name_en})) == {
        queue["submitted"].pk,
        queue["draft"].pk,
    }


def _claim(application, supplier, *, invoice_no, day, amount="8000.00"):
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


@pytest.mark.parametrize(("days_apart", "flagged"), [(0, True), (5, True), (6, False)])
def test_near_duplicate_claims_are_flagged_in_the_queue(
    official_client, anchor, sme, supplier, days_apart, flagged
):
    programme = ProgrammeFactory(kind="local_procurement")
    first = ApplicationFactory(programme=programme, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    clean = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    day = datetime.date(timezone.localdate().year, 3, 10)
    _claim(first, supplier, invoice_no="A-100", day=day)
    _claim(second, supplier, invoice_no="B-200", day=day + datetime.timedelta(days=days_apart))
    _claim(clean, supplier, invoice_no="C-300", day=day, amount="1234.00")

    response = official_client.get(APPLICATIONS)
    flags = {a.pk: a.has_near_duplicates for a in response.context["cl"].result_list}
    assert flags == {first.pk: flagged, second.pk: flagged, clean.pk: False}
    only_flagged = official_client.get(APPLICATIONS, {"near_duplicate": "yes"})
    assert listed(only_flagged) == ({first.pk, second.pk} if flagged else set())


def test_open_objections_are_counted_in_the_queue(official_client, queue):
    application = queue["submitted"]
    notice = Notice.objects.create(
        programme=application.programme, ends_at=timezone.now() + datetime.timedelta(days=7)
    )
    for status in ("open", "open", "dismissed"):
        Objection.objects.create(
            application=application,
            notice=notice,
            author_name="王五",
            organisation="Some Co.",
            reason="Invoices look altered.",
            status=status,
        )
    response = official_client.get(APPLICATIONS, {"open_objections": "yes"})
    assert listed(response) == {application.pk}
    assert response.context["cl"].result_list[0].open_objection_count == 2


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(APPLICATIONS)
        assert response.status_code == 200
    return len(queries)


def test_changelist_queries_do_not_grow_with_the_rows(official_client, queue, supplier):
    few = changelist_queries(official_client)
    for number in range(12):
        application = ApplicationFactory(programme=queue["submitted"].programme, status=S.SUBMITTED)
        _claim(application, supplier, invoice_no=f"X-{number}", day=datetime.date(2026, 3, 1))
    assert changelist_queries(official_client) == few
    # 1 session, 2 user, 3-4 the official's own and group permissions, 5 the programmes for
    # their filter, 6-7 counts (filtered and total), 8 the page with applicants, programmes,
    # open objections and the near-duplicate flag.
    assert few == 8


# --- decisions ----------------------------------------------------------------------------


def test_an_action_first_shows_its_form(official_client, submitted):
    response = act(official_client, APPLICATIONS, "start_review", [submitted])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/action_form.html"
    content = response.content.decode()
    assert str(submitted.applicant.name_zh) in content
    assert 'name="note"' in content
    assert status_of(submitted) == S.SUBMITTED


def test_start_review_moves_the_application_and_records_who(official_client, official, submitted):
    response = act(official_client, APPLICATIONS, "start_review", [submitted], note="")
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(submitted) == S.UNDER_REVIEW
    transition = submitted.transitions.latest("pk")
    assert (transition.actor, transition.to_status) == (official, S.UNDER_REVIEW)


def test_approve_awards_the_computed_amount_and_reports_success(
    official_client, under_review, anchor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            official_client, APPLICATIONS, "approve", [under_review], note="Fine.", amount_cny=""
        )
    assert messages_of(response) == [
        (message_levels.SUCCESS, f"{under_review}: approved 19,500.03 CNY.")
    ]
    under_review.refresh_from_db()
    assert under_review.status == S.APPROVED
    assert under_review.awarded_amount_cny == Decimal("19500.03")
    assert anchor.owner.email in mail.outbox[-1].to


def test_approve_past_the_budget_names_what_remains_and_changes_nothing(
    official_client, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(budget_cny=Decimal("10000"))
    transitions = Transition.objects.count()
    response = act(official_client, APPLICATIONS, "approve", [under_review], note="", amount_cny="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "would exceed the programme's budget: 10,000.00 CNY remain" in text
    under_review.refresh_from_db()
    assert (under_review.status, under_review.awarded_amount_cny) == (S.UNDER_REVIEW, None)
    assert Transition.objects.count() == transitions


def test_an_amount_cannot_be_set_for_a_computed_award(official_client, under_review):
    response = act(
        official_client, APPLICATIONS, "approve", [under_review], note="", amount_cny="1.00"
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "computed by its rule" in text
    assert status_of(under_review) == S.UNDER_REVIEW


def test_an_rd_award_is_the_approved_amount(official_client, anchor):
    application = ApplicationFactory(
        programme=ProgrammeFactory(kind="rd_fund"),
        applicant=anchor,
        status=S.UNDER_REVIEW,
        requested_amount_cny=Decimal("800000.00"),
        computed_amount_cny=Decimal("800000.00"),
    )
    response = act(
        official_client, APPLICATIONS, "approve", [application], note="", amount_cny="600000"
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    application.refresh_from_db()
    assert application.awarded_amount_cny == Decimal("600000.00")


@pytest.mark.parametrize("action", ["start_review", "approve"])
def test_an_official_of_the_applicant_cannot_review_or_approve(
    official_client, official, second_official, submitted, anchor, action
):
    MembershipFactory(user=official, enterprise=anchor)
    if action == "approve":
        application_start_review(actor=second_official, application=submitted)
    before = status_of(submitted)
    form = {"note": ""} | ({"amount_cny": ""} if action == "approve" else {})
    response = act(official_client, APPLICATIONS, action, [submitted], **form)
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "You may not review or decide this application" in text
    assert "member of the applicant" in text
    assert status_of(submitted) == before


def test_a_declared_conflict_also_bars_the_official(official_client, official, submitted):
    conflict_declare(actor=official, enterprise=submitted.applicant, reason="My brother runs it.")
    response = act(official_client, APPLICATIONS, "start_review", [submitted], note="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "My brother runs it." in text
    assert status_of(submitted) == S.SUBMITTED


@pytest.mark.parametrize(
    ("action", "end"), [("return_application", S.RETURNED), ("reject", S.REJECTED)]
)
def test_return_and_reject_need_a_reason(official_client, under_review, action, end):
    response = act(official_client, APPLICATIONS, action, [under_review], note="  ")
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert status_of(under_review) == S.UNDER_REVIEW

    reason = "Attach the invoice of line 2; the scan is unreadable."
    response = act(official_client, APPLICATIONS, action, [under_review], note=reason)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(under_review) == end
    assert under_review.transitions.latest("pk").note == reason


def test_a_second_official_confirms_an_award_above_the_threshold(
    client, official, second_official, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    client.force_login(official)
    act(client, APPLICATIONS, "approve", [under_review], note="", amount_cny="")
    assert status_of(under_review) == S.AWAITING_CONFIRMATION

    response = act(client, APPLICATIONS, "confirm", [under_review], note="")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "A second official must confirm" in text
    assert status_of(under_review) == S.AWAITING_CONFIRMATION

    client.force_login(second_official)
    response = act(client, APPLICATIONS, "confirm", [under_review], note="Checked.")
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(under_review) == S.APPROVED


def test_declining_a_confirmation_needs_a_reason_and_releases_the_award(
    client, official, second_official, under_review
):
    Programme.objects.filter(pk=under_review.programme_id).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application_approve(actor=official, application=under_review)
    client.force_login(second_official)
    response = act(client, APPLICATIONS, "decline_confirmation", [under_review], note="")
    assert "note" in response.context["form"].errors
    act(client, APPLICATIONS, "decline_confirmation", [under_review], note="Too generous.")
    under_review.refresh_from_db()
    assert (under_review.status, under_review.awarded_amount_cny) == (S.UNDER_REVIEW, None)


def test_a_refused_row_is_reported_and_the_others_go_through(
    official_client, submitted, anchor, sme
):
    draft = ApplicationFactory(applicant=sme, status=S.DRAFT)
    response = act(official_client, APPLICATIONS, "start_review", [submitted, draft], note="")
    levels = sorted(level for level, _ in messages_of(response))
    assert levels == [message_levels.SUCCESS, message_levels.ERROR]
    assert status_of(submitted) == S.UNDER_REVIEW
    assert status_of(draft) == S.DRAFT


def test_an_appeal_is_decided_by_another_official(
    client, official, second_official, under_review, anchor
):
    application_reject(actor=official, application=under_review, note="Not local.")
    appeal_file(actor=anchor.owner, application=under_review, grounds="It is local.")
    client.force_login(official)
    response = act(
        client, APPLICATIONS, "decide_appeal", [under_review], outcome="upheld", note="Agreed."
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "Another official" in text
    client.force_login(second_official)
    response = act(
        client, APPLICATIONS, "decide_appeal", [under_review], outcome="upheld", note="Agreed."
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert status_of(under_review) == S.UNDER_REVIEW
    assert under_review.appeals.get().outcome == "upheld"


# --- the application's page ---------------------------------------------------------------


def test_the_change_page_is_the_reviewers_file(official_client, official, under_review):
    message_post(
        actor=official, application=under_review, body="Budget line checked.", internal=True
    )
    response = official_client.get(change_url(under_review))
    assert response.status_code == 200
    content = response.content.decode()
    assert "19,500.03" in content  # computed amount
    assert "The enterprise is verified in the directory" in content  # eligibility
    assert "10,000,000.00" in content  # budget of the programme
    assert "Budget line checked." in content  # internal note
    assert under_review.claimed_lines.first().purchase_line.invoice_no in content
    document = under_review.documents.get()
    assert reverse("subsidies:document", args=[under_review.pk, document.pk]) in content
    assert "Under review" in content  # history
    # Read-only, decisions offered as buttons.
    assert 'name="_save"' not in content
    assert 'value="approve"' in content and 'value="return_application"' in content
    assert 'value="confirm"' not in content


def test_the_change_page_flags_near_duplicates(official_client, anchor, sme, supplier):
    programme = ProgrammeFactory(kind="local_procurement")
    first = ApplicationFactory(programme=programme, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=programme, applicant=sme, status=S.SUBMITTED)
    day = datetime.date(timezone.localdate().year, 3, 10)
    _claim(first, supplier, invoice_no="A-100", day=day)
    _claim(second, supplier, invoice_no="B-200", day=day + datetime.timedelta(days=2))
    content = official_client.get(change_url(first)).content.decode()
    assert "look like claims in other applications" in content
    assert f"#{second.pk}" in content


def test_the_status_cannot_be_changed_by_editing_the_page(official_client, under_review):
    response = official_client.post(
        change_url(under_review), {"status": "approved", "_save": "Save"}
    )
    assert response.status_code == 403
    assert status_of(under_review) == S.UNDER_REVIEW


@pytest.mark.parametrize("url_name", ["add", "delete"])
def test_applications_are_neither_added_nor_deleted_here(official_client, submitted, url_name):
    args = [] if url_name == "add" else [submitted.pk]
    url = reverse(f"admin:subsidies_application_{url_name}", args=args)
    assert official_client.post(url, {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=submitted.pk).exists()


def test_an_official_posts_a_message_and_an_internal_note(
    official_client, official, under_review, anchor, django_capture_on_commit_callbacks
):
    url = reverse("admin:subsidies_application_message", args=[under_review.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(url, {"body": "Only for us.", "internal": "on"}, follow=True)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(url, {"body": "Please add the contract."}, follow=True)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert list(
        Message.objects.filter(application=under_review).values_list("body", "internal")
    ) == [("Only for us.", True), ("Please add the contract.", False)]
    assert anchor.owner.email in mail.outbox[-1].to
    response = official_client.post(url, {"body": " "}, follow=True)
    assert [level for level, _ in messages_of(response)] == [message_levels.ERROR]


# --- reviews ------------------------------------------------------------------------------


@pytest.fixture
def reviewer(db):
    """A staff user who is not an official: sees only what they are asked to review."""
    return UserFactory(username="reviewer", is_staff=True)


def test_a_reviewer_is_assigned_and_fills_in_the_scoring_form(
    official_client, client, reviewer, under_review
):
    response = act(
        official_client, APPLICATIONS, "assign_reviewer", [under_review], reviewer=reviewer.pk
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    review = Review.objects.get(application=under_review, reviewer=reviewer)

    client.force_login(reviewer)
    assert listed(client.get(APPLICATIONS)) == {under_review.pk}
    assert client.get(change_url(under_review)).status_code == 200
    url = reverse("admin:subsidies_application_review", args=[under_review.pk])
    form = client.get(url).content.decode()
    assert "Technical merit" in form and "Impact on the local chain" in form

    response = client.post(
        url, {"score_merit": "11", "score_impact": "5", "recommendation": "approve"}
    )
    assert response.status_code == 200
    assert "score_merit" in response.context["form"].errors
    review.refresh_from_db()
    assert review.submitted_at is None

    response = client.post(
        url,
        {
            "score_merit": "8",
            "score_impact": "5",
            "recommendation": "approve",
            "comment": "Sound.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.total_score == Decimal("68.00")  # (8×60 + 5×40) / 100 × 10
    assert review.recommendation == "approve"

    page = official_client.get(change_url(under_review)).content.decode()
    assert "68.00" in page and "Sound." in page


def test_a_reviewer_cannot_see_other_applications_or_others_reviews(
    client, reviewer, under_review, queue
):
    client.force_login(reviewer)
    assert client.get(change_url(under_review)).status_code in (302, 403)
    assert client.get(
        reverse("admin:subsidies_application_review", args=[under_review.pk])
    ).status_code in (302, 403, 404)


def test_a_reviewer_with_a_conflict_is_refused(official_client, official, reviewer, under_review):
    MembershipFactory(user=reviewer, enterprise=under_review.applicant)
    response = act(
        official_client, APPLICATIONS, "assign_reviewer", [under_review], reviewer=reviewer.pk
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR
    assert "conflict of interest" in text
    assert not Review.objects.exists()


# --- programmes ---------------------------------------------------------------------------


def programme_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "kind": "local_procurement",
        "year": today.year,
        "name_zh": "本地采购补贴",
        "name_en": "Local procurement subsidy",
        "description": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=60)).isoformat(),
        "budget_cny": "5000000",
        "rate_percent": "5",
        "notice_days": "7",
        "scoring_criteria": "[]",
        "_save": "Save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_programme_is_created_through_its_service(official_client, official):
    response = official_client.post(
        reverse("admin:subsidies_programme_add"),
        programme_form(required_documents=["invoices"]),
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name_en="Local procurement subsidy")
    assert programme.required_documents == ["invoices"]
    entry = AuditEntry.objects.get(action="programme_created", object_id=str(programme.pk))
    assert entry.actor_id == official.pk


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget_cny": ""}, "budget_cny", "needs a budget"),
        (
            {"scoring_criteria": '[{"key": "x", "label": "X", "weight": 0}]'},
            "scoring_criteria",
            "weight",
        ),
        ({"closes_on": "2000-01-01"}, None, ""),
    ],
)
def test_a_refused_programme_shows_the_error_on_the_form(
    official_client, overrides, field, message
):
    response = official_client.post(
        reverse("admin:subsidies_programme_add"), programme_form(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors
    if field:
        assert message in " ".join(errors[field])
    assert not Programme.objects.exists()


def test_a_budget_below_the_awards_is_refused_on_the_form(official_client, official, under_review):
    application_approve(actor=official, application=under_review)
    programme = under_review.programme
    data = programme_form(
        kind=programme.kind,
        name_en=programme.name_en,
        budget_cny="1000",
        eligible_categories=[c.pk for c in programme.eligible_categories.all()],
    )
    response = official_client.post(change_url(programme), data)
    assert response.status_code == 200
    assert "19,500.03 CNY is already awarded" in " ".join(
        response.context["adminform"].form.errors["budget_cny"]
    )
    programme.refresh_from_db()
    assert programme.budget_cny == Decimal("10000000.00")


def test_the_programme_list_shows_budget_committed_and_remaining(
    official_client, official, under_review
):
    application_approve(actor=official, application=under_review)
    response = official_client.get(PROGRAMMES, {"kind__exact": "local_procurement"})
    row = response.context["cl"].result_list[0]
    assert (row.committed_cny, row.remaining_cny) == (
        Decimal("19500.03"),
        Decimal("9980499.97"),
    )
    content = response.content.decode()
    assert "19,500.03" in content and "9,980,499.97" in content


def test_programmes_cannot_be_deleted(official_client, procurement):
    url = reverse("admin:subsidies_programme_delete", args=[procurement.pk])
    assert official_client.post(url, {"post": "yes"}).status_code == 403


def test_publishing_the_notice_puts_approved_awards_on_notice(
    official_client, official, under_review
):
    application_approve(actor=official, application=under_review)
    response = act(official_client, PROGRAMMES, "publish_notice", [under_review.programme])
    [(level, text)] = messages_of(response)
    assert level == message_levels.SUCCESS and "1 award on public notice" in text
    assert status_of(under_review) == S.IN_NOTICE
    response = act(official_client, PROGRAMMES, "publish_notice", [under_review.programme])
    assert [level for level, _ in messages_of(response)] == [message_levels.ERROR]


def test_the_requests_of_a_land_round_are_ranked(official_client, anchor, sme):
    land = ProgrammeFactory(kind="land_priority")
    first = ApplicationFactory(programme=land, applicant=anchor, status=S.SUBMITTED)
    second = ApplicationFactory(programme=land, applicant=sme, status=S.UNDER_REVIEW)
    ApplicationFactory(programme=land, applicant=sme, status=S.DRAFT)
    url = reverse("admin:subsidies_programme_rank", args=[land.pk])
    page = official_client.get(url)
    assert [a.pk for a, _field in page.context["rows"]] == [first.pk, second.pk]

    response = official_client.post(url, {f"rank_{first.pk}": "1", f"rank_{second.pk}": "1"})
    assert "Give each request a different rank." in response.content.decode()

    response = official_client.post(url, {f"rank_{first.pk}": "2", f"rank_{second.pk}": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.land_rank, second.land_rank) == (2, 1)


# --- notice, payment, recovery ------------------------------------------------------------


@pytest.fixture
def awards_in_notice(official, anchor, sme):
    """Two awards whose notice period is over."""
    programme = ProgrammeFactory(kind="standards_reward", name_zh="标准奖励")
    now = timezone.now()
    notice = Notice.objects.create(
        programme=programme,
        published_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=3),
    )
    return [
        ApplicationFactory(
            programme=programme,
            applicant=applicant,
            status=S.IN_NOTICE,
            computed_amount_cny=amount,
            awarded_amount_cny=amount,
            decided_at=now - datetime.timedelta(days=11),
            notice=notice,
        )
        for applicant, amount in ((anchor, Decimal("1000000.00")), (sme, Decimal("500000.50")))
    ]


@pytest.fixture
def batch(official_client, awards_in_notice) -> DisbursementBatch:
    response = act(official_client, APPLICATIONS, "prepare_disbursement_batch", awards_in_notice)
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    return DisbursementBatch.objects.get()


def test_a_batch_is_prepared_from_awards_whose_notice_is_over(batch, awards_in_notice):
    assert batch.total_cny == Decimal("1500000.50")
    assert set(batch.applications.values_list("pk", flat=True)) == {a.pk for a in awards_in_notice}


def test_an_award_under_objection_is_not_put_in_a_batch(official_client, awards_in_notice):
    award = awards_in_notice[0]
    Objection.objects.create(
        application=award,
        notice=award.notice,
        author_name="王五",
        organisation="Some Co.",
        reason="Not local.",
    )
    response = act(official_client, APPLICATIONS, "prepare_disbursement_batch", awards_in_notice)
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and f"#{award.pk}" in text
    assert not DisbursementBatch.objects.exists()


def test_the_batch_exports_one_row_per_award_and_a_total(
    official_client, batch, awards_in_notice, anchor
):
    url = reverse("admin:subsidies_disbursementbatch_export", args=[batch.pk])
    response = official_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert batch.reference in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Batch reference",
        "Application #",
        "Recipient",
        "USCC",
        "Programme",
        "Amount (CNY)",
        "Public notice ended",
    )
    first, second, total = rows[1:]
    assert first[:6] == (
        batch.reference,
        awards_in_notice[0].pk,
        anchor.name_zh,
        anchor.uscc,
        "标准奖励",
        1000000.00,
    )
    assert second[5] == pytest.approx(500000.50)
    assert isinstance(first[6], datetime.datetime)
    assert total[0] == "Total" and total[5] == pytest.approx(1500000.50)
    assert sheet.cell(row=2, column=6).number_format == "#,##0.00"


def test_the_export_action_takes_several_batches(official_client, batch):
    response = official_client.post(
        BATCHES, {"action": "export_xlsx", ACTION_CHECKBOX_NAME: [batch.pk]}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4  # header, two awards, total


def test_marking_a_batch_paid_disburses_its_awards(official_client, batch, awards_in_notice):
    response = act(official_client, BATCHES, "mark_paid", [batch], payment_reference="")
    assert "payment_reference" in response.context["form"].errors
    assert all(status_of(a) == S.IN_NOTICE for a in awards_in_notice)

    response = act(
        official_client, BATCHES, "mark_paid", [batch], payment_reference="ICBC-2026-0042"
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    assert all(status_of(a) == S.DISBURSED for a in awards_in_notice)
    batch.refresh_from_db()
    assert batch.payment_reference == "ICBC-2026-0042" and batch.paid_at is not None

    response = act(official_client, BATCHES, "mark_paid", [batch], payment_reference="again")
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and "already been marked paid" in text


def test_batches_are_neither_added_nor_deleted_here(official_client, batch):
    assert official_client.get(reverse("admin:subsidies_disbursementbatch_add")).status_code == 403
    url = reverse("admin:subsidies_disbursementbatch_delete", args=[batch.pk])
    assert official_client.post(url, {"post": "yes"}).status_code == 403


def test_an_objection_is_upheld_with_a_resolution(official_client, awards_in_notice):
    award = awards_in_notice[0]
    Notice.objects.filter(pk=award.notice_id).update(
        ends_at=timezone.now() + datetime.timedelta(days=3)
    )
    objection = Objection.objects.create(
        application=award,
        notice=award.notice,
        author_name="王五",
        organisation="Some Co.",
        reason="The standard was never published.",
    )
    response = act(official_client, OBJECTIONS, "uphold", [objection], resolution="")
    assert "resolution" in response.context["form"].errors
    response = act(
        official_client, OBJECTIONS, "uphold", [objection], resolution="Confirmed with ISO."
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    objection.refresh_from_db()
    assert objection.status == "upheld"
    assert status_of(award) == S.UNDER_REVIEW


def test_a_recovery_is_opened_repaid_and_written_off(official_client, awards_in_notice, batch):
    disbursement_batch_mark_paid(actor=batch.created_by, batch=batch, payment_reference="ICBC-1")
    award = awards_in_notice[1]
    response = act(
        official_client,
        APPLICATIONS,
        "open_recovery",
        [award],
        reason="relocation",
        amount_cny="",
        basis="",
    )
    assert "basis" in response.context["form"].errors
    response = act(
        official_client,
        APPLICATIONS,
        "open_recovery",
        [award],
        reason="relocation",
        amount_cny="",
        basis="Moved out in month 3 of 12: the full award.",
    )
    assert [level for level, _ in messages_of(response)] == [message_levels.SUCCESS]
    recovery = Recovery.objects.get(application=award)
    assert recovery.amount_cny == Decimal("500000.50")

    response = act(
        official_client,
        RECOVERIES,
        "record_repayment",
        [recovery],
        amount_cny="600000",
        received_on=timezone.localdate().isoformat(),
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and "500,000.50 CNY outstanding" in text

    act(
        official_client,
        RECOVERIES,
        "record_repayment",
        [recovery],
        amount_cny="100000",
        received_on=timezone.localdate().isoformat(),
    )
    recovery.refresh_from_db()
    assert (recovery.status, recovery.repaid_cny) == ("partly_repaid", Decimal("100000.00"))

    act(official_client, RECOVERIES, "write_off", [recovery], note="Firm dissolved.")
    recovery.refresh_from_db()
    assert recovery.status == "written_off"


# --- rules of the house -------------------------------------------------------------------


def test_an_official_declares_their_own_conflict(official_client, official, sme):
    url = reverse("admin:subsidies_conflictdeclaration_add")
    response = official_client.post(url, {"enterprise": sme.pk, "reason": "Former employer."})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.user, declaration.enterprise) == (official, sme)

    response = official_client.post(url, {"enterprise": sme.pk, "reason": "Again."})
    assert response.status_code == 200
    assert "already declared" in response.content.decode()
    response = official_client.post(url, {"enterprise": sme.pk, "reason": ""})
    assert "reason" in response.context["adminform"].form.errors
    assert ConflictDeclaration.objects.count() == 1


def test_a_support_cap_is_added_through_its_service_and_kept(official_client, official):
    url = reverse("admin:subsidies_supportcap_add")
    data = {"amount_cny": "3000000", "years": "3", "effective_from": "2026-01-01"}
    assert official_client.post(url, data).status_code == 302
    cap = SupportCap.objects.get()
    assert cap.set_by == official
    assert AuditEntry.objects.filter(action="cap_set").exists()
    response = official_client.post(url, {**data, "years": "0"})
    assert "years" in response.context["adminform"].form.errors
    response = official_client.post(change_url(cap), {**data, "amount_cny": "1", "_save": "1"})
    assert response.status_code == 403
    cap.refresh_from_db()
    assert cap.amount_cny == Decimal("3000000.00")


def test_an_enterprise_joins_a_group_on_its_page(official_client, official, anchor, sme):
    group = EnterpriseGroup.objects.create(name="宁德集团")
    page = official_client.get(change_url(anchor)).content.decode()
    url = reverse("admin:directory_enterprise_group", args=[anchor.pk])
    assert url in page
    response = official_client.post(url, {"group": group.pk})
    assert response.status_code == 302
    anchor.refresh_from_db()
    assert anchor.group == group
    change = anchor.status_changes.get()
    assert change.actor == official
    assert change.changes == {"group": {"from": "", "to": "宁德集团"}}
    group_page = official_client.get(change_url(group)).content.decode()
    assert anchor.name_zh in group_page and sme.name_zh not in group_page
    official_client.post(url, {"group": ""})
    assert Enterprise.objects.get(pk=anchor.pk).group is None


# --- the audit log ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official", "superuser"])
def test_audit_entries_cannot_be_added_changed_or_deleted(
    client, official, admin_user, submitted, who
):
    client.force_login(official if who == "official" else admin_user)
    entry = AuditEntry.objects.order_by("sequence").first()
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert "verify_audit_log" in response.content.decode()
    assert "delete_selected" not in response.content.decode()  # no actions at all
    page = client.get(change_url(entry))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url(entry), {"action": "x", "_save": "1"}).status_code == 403
    delete = reverse("admin:subsidies_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:subsidies_auditentry_add")).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).entry_hash == entry.entry_hash


def test_the_audit_log_is_searched_by_object_and_verified(official_client, submitted):
    response = official_client.get(AUDIT, {"q": str(submitted.pk)})
    assert {entry.object_id for entry in response.context["cl"].result_list} == {str(submitted.pk)}
    response = official_client.get(reverse("admin:subsidies_auditentry_verify"), follow=True)
    [(level, text)] = messages_of(response)
    assert level == message_levels.SUCCESS and "Audit log intact" in text


# --- every page opens ---------------------------------------------------------------------


@pytest.fixture
def everything(official, second_official, reviewer, batch, awards_in_notice, sme):
    """A row in every table of the workbench."""
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="P-1")
    award = awards_in_notice[0]
    recovery = recovery_open(
        actor=official,
        application=award,
        reason="targets_not_met",
        amount_cny=Decimal("1000.00"),
        basis="Pro rata: 1 of 1000.",
    )
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("10.00"),
        received_on=timezone.localdate(),
    )
    submitted = ApplicationFactory(applicant=sme, status=S.SUBMITTED)
    review_assign(actor=official, application=submitted, reviewer=reviewer)
    Objection.objects.create(
        application=award, notice=award.notice, author_name="王五", organisation="X", reason="Y"
    )
    conflict_declare(actor=official, enterprise=sme, reason="Shares.")
    support_cap_set(
        actor=official, amount_cny=Decimal("9000000"), years=3, effective_from=timezone.localdate()
    )
    land = ProgrammeFactory(kind="land_priority")
    ApplicationFactory(programme=land, applicant=sme, status=S.SUBMITTED)
    proposal = ApplicationFactory(
        programme=ProgrammeFactory(kind="rd_fund"), applicant=sme, status=S.SUBMITTED
    )
    KpiTarget.objects.create(
        application=proposal, kpi="ionic_conductivity", baseline_value=1e-3, target_value=1.2e-2
    )
    Milestone.objects.create(
        application=proposal, title="Pilot line", due_on=datetime.date(2027, 6, 30)
    )
    EnterpriseGroup.objects.create(name="集团")
    return award


WORKBENCH_MODELS = [
    "subsidies.programme",
    "subsidies.application",
    "subsidies.review",
    "subsidies.notice",
    "subsidies.objection",
    "subsidies.disbursementbatch",
    "subsidies.recovery",
    "subsidies.conflictdeclaration",
    "subsidies.supportcap",
    "subsidies.auditentry",
    "directory.enterprisegroup",
]


@pytest.mark.parametrize("model", WORKBENCH_MODELS)
@pytest.mark.parametrize("who", ["official", "superuser"])
def test_every_list_and_page_opens(client, official, admin_user, everything, model, who):
    from django.apps import apps

    client.force_login(official if who == "official" else admin_user)
    app_label, model_name = model.split(".")
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    for obj in apps.get_model(model).objects.all():
        assert client.get(change_url(obj)).status_code == 200, obj


def test_a_reviewer_finds_their_reviews_with_a_link_to_the_form(client, reviewer, everything):
    client.force_login(reviewer)
    assert (
        reverse("admin:subsidies_review_changelist").encode()
        in client.get(reverse("admin:index")).content
    )
    response = client.get(reverse("admin:subsidies_review_changelist"))
    review = Review.objects.get(reviewer=reviewer)
    assert listed(response) == {review.pk}
    form_url = reverse("admin:subsidies_application_review", args=[review.application_id])
    assert form_url in response.content.decode()
    assert client.get(AUDIT).status_code == 403
