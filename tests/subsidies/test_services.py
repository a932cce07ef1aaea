"""The rules of the support programmes, proved through the services people's actions call."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import EnterpriseGroup, ListingStatus
from subsidies.models import (
    Application,
    ApplicationStatus,
    ClaimedLine,
    Objection,
    ObjectionStatus,
    RecoveryStatus,
    SupportCap,
    Transition,
)
from subsidies.selectors.access import last_return_note
from subsidies.selectors.eligibility import application_eligibility, near_duplicate_lines
from subsidies.selectors.money import (
    programme_budget,
    programmes_with_money,
    support_by_enterprise,
    support_received_cny,
)
from subsidies.services.approvals import (
    appeal_decide,
    application_approve,
    application_confirm,
    application_decline_confirmation,
)
from subsidies.services.disbursements import (
    disbursement_batch_mark_paid,
    disbursement_batch_prepare,
)
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_set_plan,
    application_update,
    document_add,
)
from subsidies.services.notices_and_objections import (
    notice_publish,
    objection_lodge,
    objection_resolve,
)
from subsidies.services.recoveries import recovery_open, recovery_record_repayment
from subsidies.services.reviews import (
    application_reject,
    application_return,
    application_start_review,
    conflict_declare,
    land_round_rank,
    review_assign,
    review_submit,
)
from subsidies.services.submission import (
    appeal_file,
    application_submit,
    application_withdraw,
    message_post,
)
from tests.factories import (
    EnterpriseFactory,
    MembershipFactory,
    ProgrammeFactory,
    PurchaseLineFactory,
    StandardParticipationFactory,
    outside_district,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _approve(application, official, **kwargs):
    return application_approve(actor=official, application=application, **kwargs)


def _in_notice(application, official):
    _approve(application, official)
    notice_publish(actor=official, programme=application.programme)
    application.refresh_from_db()
    return application


def _notice_over(application):
    notice = application.notice
    type(notice).objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=3),
    )


def _disbursed(application, official):
    _in_notice(application, official)
    _notice_over(application)
    batch = disbursement_batch_prepare(actor=official, applications=[application])
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="BOC-1")
    application.refresh_from_db()
    return application


# --- drafting and eligibility -----------------------------------------------------------------


def test_only_members_of_the_applicant_may_start_an_application(procurement, anchor, sme):
    with pytest.raises(PermissionDenied):
        application_create(actor=sme.owner, programme=procurement, applicant=anchor)
    assert not Application.objects.exists()


def test_submission_computes_five_percent_of_the_claimed_lines(submitted):
    # V_total = 100,000 + 250,000 + 40,000.50 = 390,000.50; S = 5 % = 19,500.025 → 19,500.03
    assert submitted.status == S.SUBMITTED
    assert submitted.computed_amount_cny == Decimal("19500.03")
    assert submitted.submitted_at is not None


def test_submission_takes_the_corrected_amount_of_a_line(draft, anchor, lines):
    type(lines[0]).objects.filter(pk=lines[0].pk).update(amount=Decimal("200000.00"))
    application = application_submit(actor=anchor.owner, application=draft)
    assert application.computed_amount_cny == Decimal("24500.03")


def test_eligibility_is_shown_before_submission_with_what_to_do(anchor, procurement, lines):
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    eligibility = application_eligibility(application)
    failed = {check.code for check in eligibility.checks if not check.ok}
    assert failed == {"documents", "claim", "amount"}
    assert "Attach: Invoices or purchase contracts." in eligibility.problems
    assert "Pick at least one purchase line to claim." in eligibility.problems


def test_an_unverified_enterprise_cannot_submit(draft, anchor):
    type(anchor).objects.filter(pk=anchor.pk).update(status=ListingStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        application_submit(actor=anchor.owner, application=draft)
    assert "An official must verify the enterprise before it can apply." in error.value.messages
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert draft.computed_amount_cny is None


def test_an_enterprise_outside_the_municipality_cannot_submit(draft, anchor):
    type(anchor).objects.filter(pk=anchor.pk).update(district=outside_district())
    with pytest.raises(ValidationError, match="Only local enterprises may apply"):
        application_submit(actor=anchor.owner, application=draft)


def test_a_closed_programme_refuses_submissions(draft, anchor, procurement):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(procurement).objects.filter(pk=procurement.pk).update(
        opens_on=yesterday - datetime.timedelta(days=30), closes_on=yesterday
    )
    with pytest.raises(ValidationError, match="takes applications from"):
        application_submit(actor=anchor.owner, application=draft)


@pytest.mark.parametrize(
    "line_kwargs",
    [
        pytest.param({"supplier__district": "outside"}, id="supplier-not-local"),
        pytest.param({"supplier__status": ListingStatus.PENDING}, id="supplier-unverified"),
        pytest.param({"invoice_date": "last-year"}, id="outside-the-programme-year"),
        pytest.param({"category": "production-equipment"}, id="category-not-eligible"),
        pytest.param({"amount": Decimal("-500.00")}, id="credit-note"),
        pytest.param({"buyer": "other"}, id="not-the-applicants-purchase"),
    ],
)
def test_lines_the_programme_does_not_pay_for_cannot_be_claimed(anchor, procurement, line_kwargs):
    from directory.models import SupplyCategory

    kwargs = {"buyer": anchor}
    for name, value in line_kwargs.items():
        if value == "outside":
            value = outside_district()
        elif value == "last-year":
            value = datetime.date(timezone.localdate().year - 1, 6, 1)
        elif value == "production-equipment":
            value = SupplyCategory.objects.get(slug=value)
        elif value == "other":
            value = EnterpriseFactory(kind="anchor")
        kwargs[name] = value
    line = PurchaseLineFactory(**kwargs)
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    with pytest.raises(ValidationError) as error:
        application_set_lines(actor=anchor.owner, application=application, line_ids=[line.pk])
    assert "lines" in error.value.message_dict
    assert not application.claimed_lines.exists()


def test_claimed_lines_can_be_replaced_while_a_draft(draft, anchor, lines):
    application_set_lines(actor=anchor.owner, application=draft, line_ids=[lines[1].pk])
    assert list(draft.claimed_lines.values_list("purchase_line_id", flat=True)) == [lines[1].pk]


def test_a_submitted_application_cannot_be_edited(submitted, anchor):
    with pytest.raises(ValidationError, match="Only a draft or a returned application"):
        application_update(actor=anchor.owner, application=submitted, data={"summary": "x"})


def test_fields_of_another_programme_kind_are_refused(draft, anchor):
    with pytest.raises(ValidationError) as error:
        application_update(
            actor=anchor.owner, application=draft, data={"total_investment_cny": Decimal("1")}
        )
    assert "total_investment_cny" in error.value.message_dict


# --- no double claim --------------------------------------------------------------------------


def test_a_line_claimed_in_one_application_cannot_be_claimed_in_another(draft, anchor, lines):
    other_programme = ProgrammeFactory(kind="demonstration_procurement")
    other = application_create(actor=anchor.owner, programme=other_programme, applicant=anchor)
    with pytest.raises(ValidationError, match="already claimed"):
        application_set_lines(actor=anchor.owner, application=other, line_ids=[lines[0].pk])


def test_a_withdrawn_application_frees_its_lines(draft, anchor, lines, procurement):
    application_withdraw(actor=anchor.owner, application=draft)
    again = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    claimed = application_set_lines(actor=anchor.owner, application=again, line_ids=[lines[0].pk])
    assert len(claimed) == 1


def test_the_database_refuses_a_second_live_claim_of_a_line(draft, lines, procurement, anchor):
    other = Application.objects.create(
        programme=procurement, kind=procurement.kind, applicant=anchor
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimedLine.objects.create(
            application=other,
            purchase_line=lines[0],
            amount_cny=lines[0].amount,
            supplier_uscc="X" * 18,
            invoice_key="UNRELATED",
            line_no=1,
            invoice_date=lines[0].invoice_date,
        )


def test_the_same_invoice_written_differently_cannot_be_claimed_twice(
    anchor, supplier, procurement
):
    first = PurchaseLineFactory(buyer=anchor, supplier=supplier, invoice_no="INV-000123")
    twin = PurchaseLineFactory(buyer=anchor, supplier=supplier, invoice_no="inv 123")
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=application, line_ids=[first.pk])
    other = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    with pytest.raises(ValidationError, match="differently written invoice number"):
        application_set_lines(actor=anchor.owner, application=other, line_ids=[twin.pk])


def test_near_duplicate_invoices_are_flagged_not_refused(anchor, supplier, procurement):
    day = timezone.localdate().replace(month=5, day=10)
    first = PurchaseLineFactory(buyer=anchor, supplier=supplier, invoice_no="A-1", invoice_date=day)
    near = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_no="B-7",
        invoice_date=day + datetime.timedelta(days=2),
    )
    far = PurchaseLineFactory(
        buyer=anchor,
        supplier=supplier,
        invoice_no="C-9",
        invoice_date=day + datetime.timedelta(days=40),
    )
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(
        actor=anchor.owner, application=application, line_ids=[first.pk, near.pk, far.pk]
    )
    flagged = near_duplicate_lines(application)
    pairs = {(f["claim"].purchase_line_id, f["other"].purchase_line_id) for f in flagged}
    assert pairs == {(first.pk, near.pk), (near.pk, first.pk)}


def test_one_standards_reward_per_enterprise_per_standard(anchor):
    participation = StandardParticipationFactory(enterprise=anchor)
    data = {"standard_participation": participation}
    application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward"),
        applicant=anchor,
        data=data,
    )
    with pytest.raises(ValidationError) as error:
        application_create(
            actor=anchor.owner,
            programme=ProgrammeFactory(kind="standards_reward"),
            applicant=anchor,
            data=data,
        )
    assert "standard_participation" in error.value.message_dict


def test_a_claim_points_to_a_participation_of_the_applicant_itself(anchor, sme):
    with pytest.raises(ValidationError) as error:
        application_create(
            actor=anchor.owner,
            programme=ProgrammeFactory(kind="standards_reward"),
            applicant=anchor,
            data={"standard_participation": StandardParticipationFactory(enterprise=sme)},
        )
    assert "standard_participation" in error.value.message_dict


def test_an_unconfirmed_participation_earns_no_reward(anchor):
    participation = StandardParticipationFactory(enterprise=anchor, status="pending")
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward", required_documents=[]),
        applicant=anchor,
        data={"standard_participation": participation},
    )
    with pytest.raises(ValidationError, match="not confirmed this participation"):
        application_submit(actor=anchor.owner, application=application)


def test_a_national_project_is_matched_once_whoever_claims_it(anchor, sme):
    programme = ProgrammeFactory(kind="national_matching")
    data = {
        "project_name": "Sulfide electrolyte pilot line",
        "approving_ministry": "MIIT",
        "document_number": "工信部〔2026〕12号",
        "total_investment_cny": Decimal("80000000.00"),
    }
    application_create(actor=anchor.owner, programme=programme, applicant=anchor, data=data)
    with pytest.raises(ValidationError) as error:
        application_create(
            actor=sme.owner,
            programme=programme,
            applicant=sme,
            data={**data, "document_number": "工信部 (2026) 12 号"},
        )
    assert "document_number" in error.value.message_dict


# --- amounts of the other programme kinds -----------------------------------------------------


def test_national_matching_is_fifteen_percent_of_the_investment(anchor):
    programme = ProgrammeFactory(kind="national_matching", required_documents=[])
    application = application_create(
        actor=anchor.owner,
        programme=programme,
        applicant=anchor,
        data={
            "project_name": "Pilot line",
            "approving_ministry": "MOST",
            "document_number": "国科发〔2026〕7号",
            "total_investment_cny": Decimal("12345678.91"),
        },
    )
    application = application_submit(actor=anchor.owner, application=application)
    assert application.computed_amount_cny == Decimal("1851851.84")


@pytest.mark.parametrize(("role", "reward"), [("lead", "1000000.00"), ("participant", "500000.00")])
def test_standards_reward_follows_the_confirmed_role(anchor, role, reward):
    participation = StandardParticipationFactory(enterprise=anchor, role=role)
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward", required_documents=[]),
        applicant=anchor,
        data={"standard_participation": participation},
    )
    assert application.standard_number == participation.standard.number
    application = application_submit(actor=anchor.owner, application=application)
    assert application.computed_amount_cny == Decimal(reward)


def test_a_national_standard_earns_no_international_reward(anchor):
    participation = StandardParticipationFactory(
        enterprise=anchor, standard__body="GB/T", standard__is_international=False
    )
    application = application_create(
        actor=anchor.owner,
        programme=ProgrammeFactory(kind="standards_reward", required_documents=[]),
        applicant=anchor,
        data={"standard_participation": participation},
    )
    with pytest.raises(ValidationError, match="Only international standards are rewarded"):
        application_submit(actor=anchor.owner, application=application)


def test_energy_quota_is_granted_at_one_point_one_times_the_standard(anchor):
    programme = ProgrammeFactory(kind="energy_quota", required_documents=[])
    application = application_create(
        actor=anchor.owner,
        programme=programme,
        applicant=anchor,
        data={"standard_quota_tce": Decimal("12000.000")},
    )
    application = application_submit(actor=anchor.owner, application=application)
    assert application.granted_quota_tce == Decimal("13200.000")
    assert application.computed_amount_cny is None


def _rd_proposal(anchor, requested="3000000.00"):
    programme = ProgrammeFactory(kind="rd_fund", required_documents=[])
    application = application_create(
        actor=anchor.owner,
        programme=programme,
        applicant=anchor,
        data={"summary": "Halide-doped sulfide", "requested_amount_cny": Decimal(requested)},
    )
    application_set_plan(
        actor=anchor.owner,
        application=application,
        kpis=[{"kpi": "ionic_conductivity", "baseline_value": 0.004, "target_value": 0.012}],
        milestones=[{"title": "Pilot batch", "due_on": datetime.date(2027, 6, 30)}],
    )
    return application


def test_an_rd_proposal_cannot_ask_more_than_the_call_funds(anchor):
    application = _rd_proposal(anchor, requested="6000000.00")
    with pytest.raises(ValidationError, match="funds at most 5,000,000.00 CNY"):
        application_submit(actor=anchor.owner, application=application)


def test_an_rd_award_is_the_approved_amount_up_to_the_request(anchor, official):
    application = _rd_proposal(anchor)
    application_submit(actor=anchor.owner, application=application)
    application_start_review(actor=official, application=application)
    with pytest.raises(ValidationError) as error:
        _approve(application, official, amount_cny=Decimal("3500000.00"))
    assert "amount_cny" in error.value.message_dict
    application = _approve(application, official, amount_cny=Decimal("2500000.00"))
    assert application.status == S.APPROVED
    assert application.awarded_amount_cny == Decimal("2500000.00")


def test_a_kpi_plan_with_a_missing_value_names_the_row(anchor):
    application = _rd_proposal(anchor)
    with pytest.raises(ValidationError) as error:
        application_set_plan(
            actor=anchor.owner,
            application=application,
            kpis=[{"kpi": "asr", "baseline_value": 25, "target_value": None}],
            milestones=[],
        )
    assert "kpis[0]" in error.value.message_dict
    assert application.kpi_targets.get().kpi == "ionic_conductivity"  # nothing half-saved


# --- decisions --------------------------------------------------------------------------------


def test_approval_reserves_the_award_and_tells_the_applicant(
    under_review, official, anchor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = _approve(under_review, official, note="Meets the rule.")
    assert application.status == S.APPROVED
    assert application.awarded_amount_cny == Decimal("19500.03")
    assert programme_budget(application.programme)["committed"] == Decimal("19500.03")
    assert [message.to for message in mail.outbox] == [[anchor.owner.email]]
    assert "approved" in mail.outbox[0].subject


def test_an_approval_past_the_budget_is_refused_naming_what_remains(
    under_review, official, procurement
):
    type(procurement).objects.filter(pk=procurement.pk).update(budget_cny=Decimal("19500.02"))
    with pytest.raises(ValidationError, match="19,500.02 CNY remain"):
        _approve(under_review, official)
    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW
    assert under_review.awarded_amount_cny is None


def test_an_official_of_the_applicant_cannot_review_or_decide(submitted, official, anchor):
    MembershipFactory(user=official, enterprise=anchor)
    with pytest.raises(PermissionDenied, match="member of the applicant"):
        application_start_review(actor=official, application=submitted)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_membership_in_the_applicants_group_is_a_conflict(under_review, official, anchor):
    group = EnterpriseGroup.objects.create(name="Holding")
    sister = EnterpriseFactory(group=group)
    type(anchor).objects.filter(pk=anchor.pk).update(group=group)
    MembershipFactory(user=official, enterprise=sister)
    with pytest.raises(PermissionDenied):
        _approve(under_review, official)


def test_a_declared_conflict_removes_the_official_from_the_decision(under_review, official, anchor):
    conflict_declare(actor=official, enterprise=anchor, reason="Former employer")
    with pytest.raises(PermissionDenied, match="Former employer"):
        _approve(under_review, official)


def test_a_reviewer_with_a_conflict_cannot_be_assigned(
    submitted, official, second_official, anchor
):
    MembershipFactory(user=second_official, enterprise=anchor)
    with pytest.raises(ValidationError) as error:
        review_assign(actor=official, application=submitted, reviewer=second_official)
    assert "reviewer" in error.value.message_dict


def test_reviews_are_scored_by_the_programmes_weighted_criteria(
    submitted, official, second_official
):
    review = review_assign(actor=official, application=submitted, reviewer=second_official)
    with pytest.raises(PermissionDenied):
        review_submit(
            actor=official,
            review=review,
            scores={"merit": 8, "impact": 5},
            recommendation="approve",
        )
    with pytest.raises(ValidationError, match="impact"):
        review_submit(
            actor=second_official, review=review, scores={"merit": 8}, recommendation="approve"
        )
    review = review_submit(
        actor=second_official,
        review=review,
        scores={"merit": 8, "impact": 5},
        recommendation="approve",
        comment="Solid claim",
    )
    assert review.total_score == Decimal("68.00")  # (8×60 + 5×40) / 100 × 10


def test_a_large_award_needs_a_second_official(
    under_review, official, second_official, procurement
):
    type(procurement).objects.filter(pk=procurement.pk).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application = _approve(under_review, official)
    assert application.status == S.AWAITING_CONFIRMATION
    assert programme_budget(procurement)["committed"] == Decimal("19500.03")
    with pytest.raises(PermissionDenied, match="second official"):
        application_confirm(actor=official, application=application)
    application = application_confirm(actor=second_official, application=application)
    assert application.status == S.APPROVED


def test_a_declined_confirmation_releases_the_reservation(
    under_review, official, second_official, procurement
):
    type(procurement).objects.filter(pk=procurement.pk).update(
        second_approval_above_cny=Decimal("10000.00")
    )
    application = _approve(under_review, official)
    application_decline_confirmation(
        actor=second_official, application=application, note="Check invoice 2"
    )
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert programme_budget(procurement)["committed"] == Decimal("0.00")


def test_a_returned_application_goes_back_to_the_applicant_with_the_reason(
    submitted, official, anchor
):
    with pytest.raises(ValidationError) as error:
        application_return(actor=official, application=submitted, note="  ")
    assert "note" in error.value.message_dict
    application_return(
        actor=official, application=submitted, note="Attach the contract for invoice 2."
    )
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    assert last_return_note(submitted) == "Attach the contract for invoice 2."
    application_update(actor=anchor.owner, application=submitted, data={"summary": "ok"})
    assert application_submit(actor=anchor.owner, application=submitted).status == (S.SUBMITTED)


def test_the_applicant_may_withdraw_before_a_decision_but_not_after(under_review, official, anchor):
    _approve(under_review, official)
    with pytest.raises(ValidationError, match="cannot become"):
        application_withdraw(actor=anchor.owner, application=under_review)


def test_one_appeal_per_rejection_decided_by_another_official(
    under_review, official, second_official, anchor
):
    application_reject(actor=official, application=under_review, note="Not eligible")
    appeal = appeal_file(
        actor=anchor.owner, application=under_review, grounds="The supplier is local."
    )
    with pytest.raises(PermissionDenied, match="Another official"):
        appeal_decide(actor=official, appeal=appeal, upheld=True, note="ok")
    appeal_decide(actor=second_official, appeal=appeal, upheld=False, note="Stands.")
    under_review.refresh_from_db()
    assert under_review.status == S.REJECTED
    with pytest.raises(ValidationError, match="already been appealed"):
        appeal_file(actor=anchor.owner, application=under_review, grounds="Again")


def test_an_upheld_appeal_goes_back_to_review(under_review, official, second_official, anchor):
    application_reject(actor=official, application=under_review, note="Not eligible")
    appeal = appeal_file(actor=anchor.owner, application=under_review, grounds="Wrong")
    appeal_decide(actor=second_official, appeal=appeal, upheld=True, note="Agreed")
    under_review.refresh_from_db()
    assert under_review.status == S.UNDER_REVIEW
    assert under_review.claimed_lines.filter(holds_claim=True).count() == 3


def test_a_rejected_applications_lines_are_free_and_an_appeal_cannot_take_them_back(
    under_review, official, anchor, lines, procurement
):
    application_reject(actor=official, application=under_review, note="Late")
    other = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(actor=anchor.owner, application=other, line_ids=[lines[0].pk])
    with pytest.raises(ValidationError, match="claimed in another application"):
        appeal_file(actor=anchor.owner, application=under_review, grounds="Please")
    under_review.refresh_from_db()
    assert under_review.status == S.REJECTED


# --- support cap ------------------------------------------------------------------------------


def test_an_approval_past_the_enterprises_cap_is_refused_naming_the_room(
    under_review, official, anchor
):
    SupportCap.objects.create(
        amount_cny=Decimal("30000.00"), years=3, effective_from=datetime.date(2020, 1, 1)
    )
    earlier = ProgrammeFactory(kind="national_matching")
    Application.objects.create(
        programme=earlier,
        kind=earlier.kind,
        applicant=anchor,
        status=S.DISBURSED,
        awarded_amount_cny=Decimal("15000.00"),
        decided_at=timezone.now() - datetime.timedelta(days=200),
    )
    with pytest.raises(ValidationError, match="15,000.00 CNY of room remain"):
        _approve(under_review, official)


def test_the_cap_counts_the_whole_group_and_only_the_rolling_period(under_review, official, anchor):
    SupportCap.objects.create(
        amount_cny=Decimal("30000.00"), years=2, effective_from=datetime.date(2020, 1, 1)
    )
    group = EnterpriseGroup.objects.create(name="Holding")
    sister = EnterpriseFactory(group=group)
    type(anchor).objects.filter(pk=anchor.pk).update(group=group)
    anchor.refresh_from_db()
    earlier = ProgrammeFactory(kind="national_matching")
    for days, amount in ((100, "10000.00"), (365 * 3, "50000.00")):
        Application.objects.create(
            programme=earlier,
            kind=earlier.kind,
            applicant=sister,
            status=S.DISBURSED,
            awarded_amount_cny=Decimal(amount),
            decided_at=timezone.now() - datetime.timedelta(days=days),
        )
    application = _approve(under_review, official)  # 10,000 + 19,500.03 ≤ 30,000
    assert application.status == S.APPROVED


# --- notice, objections, payment, recovery ---------------------------------------------------


def test_approved_awards_are_published_together_for_the_notice_period(
    under_review, official, procurement
):
    application = _in_notice(under_review, official)
    assert application.status == S.IN_NOTICE
    notice = application.notice
    assert notice.ends_at - notice.published_at == datetime.timedelta(days=procurement.notice_days)
    with pytest.raises(ValidationError, match="no approved awards"):
        notice_publish(actor=official, programme=procurement)


def test_an_award_cannot_be_paid_during_the_notice(under_review, official):
    application = _in_notice(under_review, official)
    with pytest.raises(ValidationError, match="cannot be paid yet"):
        disbursement_batch_prepare(actor=official, applications=[application])


def test_objections_are_signed_and_only_during_the_notice(under_review, official, sme):
    application = _in_notice(under_review, official)
    with pytest.raises(ValidationError) as error:
        objection_lodge(
            actor=sme.owner, application=application, author_name="", organisation="", reason="x"
        )
    assert {"author_name", "organisation"} <= set(error.value.message_dict)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="anonymous"):
        objection_lodge(
            actor=AnonymousUser(),
            application=application,
            author_name="A",
            organisation="B",
            reason="C",
        )
    _notice_over(application)
    with pytest.raises(ValidationError, match="notice period ended"):
        objection_lodge(
            actor=sme.owner, application=application, author_name="Li", organisation="X", reason="Y"
        )


def test_an_open_objection_blocks_payment_until_resolved(
    under_review, official, second_official, sme
):
    application = _in_notice(under_review, official)
    objection = objection_lodge(
        actor=sme.owner,
        application=application,
        author_name="李明",
        organisation=sme.name_zh,
        reason="The supplier is a shell company.",
    )
    _notice_over(application)
    with pytest.raises(ValidationError, match="objection open"):
        disbursement_batch_prepare(actor=official, applications=[application])
    objection_resolve(
        actor=second_official, objection=objection, upheld=False, resolution="Supplier checked."
    )
    batch = disbursement_batch_prepare(actor=official, applications=[application])
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="ICBC-42")
    application.refresh_from_db()
    assert application.status == S.DISBURSED
    assert batch.total_cny == Decimal("19500.03")


def test_an_upheld_objection_sends_the_award_back_to_review(
    under_review, official, sme, procurement
):
    application = _in_notice(under_review, official)
    objection = objection_lodge(
        actor=sme.owner,
        application=application,
        author_name="李明",
        organisation=sme.name_zh,
        reason="Invoice 2 is fake.",
    )
    objection_resolve(
        actor=official, objection=objection, upheld=True, resolution="Invoice 2 not genuine."
    )
    application.refresh_from_db()
    objection.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert application.awarded_amount_cny is None
    assert objection.status == ObjectionStatus.UPHELD
    assert programme_budget(procurement)["committed"] == Decimal("0.00")
    assert Objection.objects.filter(application=application).count() == 1  # stays attached


def test_recovery_reduces_the_net_amount_for_budget_and_cap(under_review, official, procurement):
    application = _disbursed(under_review, official)
    with pytest.raises(ValidationError) as error:
        recovery_open(
            actor=official,
            application=application,
            reason="relocation",
            amount_cny=Decimal("20000.00"),
            basis="Full amount",
        )
    assert "amount_cny" in error.value.message_dict
    recovery = recovery_open(
        actor=official,
        application=application,
        reason="relocation",
        amount_cny=Decimal("9750.02"),
        basis="Pro rata: moved out after 18 of 36 months, 50 %.",
    )
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("5000.00"),
        received_on=timezone.localdate(),
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.PARTLY_REPAID
    assert programme_budget(procurement)["committed"] == Decimal("14500.03")
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("4750.02"),
        received_on=timezone.localdate(),
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.REPAID
    received = support_received_cny(
        application.applicant, since=timezone.now() - datetime.timedelta(days=365)
    )
    assert received == Decimal("9750.01")


def test_only_disbursed_awards_can_be_recovered(under_review, official):
    with pytest.raises(ValidationError, match="Only disbursed awards"):
        recovery_open(
            actor=official,
            application=under_review,
            reason="false_declaration",
            amount_cny=Decimal("1.00"),
            basis="x",
        )


# --- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"#!/bin/sh\nrm -rf /\n", "is not a PDF, JPEG or PNG file"),
        ("photo.png", b"%PDF-1.4 fake", "is a PDF file but its name says otherwise"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_documents_are_checked_by_content(draft, anchor, name, content, message):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=message) as error:
        document_add(actor=anchor.owner, application=draft, kind="other", upload=upload)
    assert "file" in error.value.message_dict
    assert draft.documents.count() == 1  # only the fixture's invoice


def test_documents_over_the_limit_are_refused(draft, anchor, settings):
    settings.APPLICATION_DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)
    with pytest.raises(ValidationError, match="the limit is 1.0"):
        document_add(actor=anchor.owner, application=draft, kind="other", upload=upload)


def test_documents_are_stored_outside_the_web_root(draft, settings):
    document = draft.documents.get()
    path = document.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "invoice" not in path  # the applicant's file name never reaches the disk
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018


# --- records and notifications ----------------------------------------------------------------


def test_every_move_is_recorded_with_who_when_from_to_and_why(submitted, official, anchor):
    application_return(actor=official, application=submitted, note="Add contract")
    history = list(
        Transition.objects.filter(application=submitted).values_list(
            "actor__username", "from_status", "to_status", "note"
        )
    )
    assert history == [
        (anchor.owner.username, S.DRAFT, S.SUBMITTED, ""),
        (official.username, S.SUBMITTED, S.RETURNED, "Add contract"),
    ]


def test_officials_hear_of_new_submissions(
    draft, anchor, official, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=anchor.owner, application=draft)
    assert [message.to for message in mail.outbox] == [[official.email]]


def test_applicants_never_write_internal_notes(submitted, anchor, official):
    with pytest.raises(PermissionDenied):
        message_post(actor=anchor.owner, application=submitted, body="hello", internal=True)
    message_post(actor=official, application=submitted, body="check", internal=True)
    assert submitted.messages.get().internal


def test_land_requests_of_a_round_are_ranked_once_each(anchor, sme, official):
    programme = ProgrammeFactory(kind="land_priority", required_documents=[])
    requests = []
    for enterprise in (anchor, sme):
        application = application_create(
            actor=enterprise.owner,
            programme=programme,
            applicant=enterprise,
            data={
                "land_area_m2": Decimal("50000"),
                "land_use": "Electrolyte plant",
                "planned_investment_cny": Decimal("300000000"),
                "planned_jobs": 400,
            },
        )
        requests.append(application_submit(actor=enterprise.owner, application=application))
    with pytest.raises(ValidationError):
        land_round_rank(actor=official, programme=programme, ordered_ids=[requests[0].pk])
    land_round_rank(
        actor=official, programme=programme, ordered_ids=[requests[1].pk, requests[0].pk]
    )
    ranks = dict(Application.objects.values_list("pk", "land_rank"))
    assert ranks == {requests[1].pk: 1, requests[0].pk: 2}


def test_near_duplicates_are_found_in_a_fixed_number_of_queries(
    anchor, supplier, procurement, django_assert_max_num_queries
):
    day = timezone.localdate().replace(month=5, day=10)
    lines = [
        PurchaseLineFactory(
            buyer=anchor,
            supplier=supplier,
            invoice_date=day + datetime.timedelta(days=n),
            amount=Decimal("1000.00") * (n % 3 + 1),
        )
        for n in range(12)
    ]
    application = application_create(actor=anchor.owner, programme=procurement, applicant=anchor)
    application_set_lines(
        actor=anchor.owner, application=application, line_ids=[line.pk for line in lines]
    )
    with django_assert_max_num_queries(2):
        flagged = near_duplicate_lines(application)
    assert flagged  # lines 0 and 3 share supplier and amount, three days apart


def test_net_support_per_enterprise_subtracts_repaid_recoveries(under_review, official, anchor):
    application = _disbursed(under_review, official)
    recovery = recovery_open(
        actor=official,
        application=application,
        reason="targets_not_met",
        amount_cny=Decimal("500.00"),
        basis="Full amount of the unmet milestone share.",
    )
    recovery_record_repayment(
        actor=official,
        recovery=recovery,
        amount_cny=Decimal("500.00"),
        received_on=timezone.localdate(),
    )
    row = support_by_enterprise().get()
    assert row == anchor
    assert (row.held_cny, row.repaid_cny, row.net_cny) == (
        Decimal("19500.03"),
        Decimal("500.00"),
        Decimal("19000.03"),
    )
    programme = programmes_with_money().get(pk=application.programme_id)
    assert programme.committed_cny == Decimal("19000.03")
    assert programme.remaining_cny == programme.budget_cny - Decimal("19000.03")
