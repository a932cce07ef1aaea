"""Demo applications across the seven programme kinds, one in each state of the workflow, all
moved by the demo logins through the services (history and audit chain real):

draft (demonstration procurement), submitted (local procurement), under review (energy
quota), returned (land priority), approved awaiting a second confirmation (national
matching), in notice with an open objection (standards reward), disbursed (national
matching), and an awarded R&D project, paid, with milestone reports (one KPI met, one not)
and a recovery of part of its award.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance.services.standards import (
    participation_decide,
    participation_declare,
    standard_register,
)
from directory.demo.documents import blank_pdf
from subsidies.models import DocumentKind, Notice, ProgrammeKind, Recommendation
from subsidies.selectors.eligibility import claimable_lines
from subsidies.services.approvals import application_approve
from subsidies.services.disbursements import (
    disbursement_batch_mark_paid,
    disbursement_batch_prepare,
)
from subsidies.services.drafting import (
    application_create,
    application_set_lines,
    application_set_plan,
    document_add,
)
from subsidies.services.milestones import milestone_report_file
from subsidies.services.notices_and_objections import notice_publish, objection_lodge
from subsidies.services.recoveries import recovery_open
from subsidies.services.reviews import (
    application_return,
    application_start_review,
    review_assign,
    review_submit,
)
from subsidies.services.submission import application_submit


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(), content_type="application/pdf")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _drafted(actor, programme, applicant, data, document_kind):
    application = application_create(
        actor=actor, programme=programme, applicant=applicant, data=data
    )
    document_add(
        actor=actor, application=application, kind=document_kind, upload=pdf("evidence.pdf")
    )
    return application


def _reviewed(official, actor, application):
    application_submit(actor=actor, application=application)
    application_start_review(actor=official, application=application)
    return application


def _notice_over(programme) -> None:
    """The notice period has run its course: the demo dates it back (the one write not made
    by a service; publication and its record are real)."""
    now = timezone.now()
    Notice.objects.filter(programme=programme).update(
        published_at=now - datetime.timedelta(days=12), ends_at=now - datetime.timedelta(days=2)
    )


def _pay(official, applications) -> None:
    batch = disbursement_batch_prepare(actor=official, applications=applications)
    disbursement_batch_mark_paid(actor=official, batch=batch, payment_reference="DEMO-BOC-0001")


def anchor_applications(*, programmes, official, second_official, owner, anchor) -> int:
    """Submitted (local procurement), draft (demonstration procurement), under review (energy
    quota), awaiting a second confirmation (national matching)."""
    procurement = application_create(
        actor=owner,
        programme=programmes[ProgrammeKind.LOCAL_PROCUREMENT],
        applicant=anchor,
        data={"summary": "Sulfide electrolyte and packs bought from local suppliers."},
    )
    lines = list(claimable_lines(procurement).values_list("pk", flat=True)[:12])
    if lines:
        application_set_lines(actor=owner, application=procurement, line_ids=lines)
    document_add(
        actor=owner, application=procurement, kind=DocumentKind.INVOICES, upload=pdf("inv.pdf")
    )
    application_submit(actor=owner, application=procurement)

    approved = 0
    for kind, data in (
        (ProgrammeKind.LOCAL_PROCUREMENT, {}),
        (
            ProgrammeKind.DEMONSTRATION_PROCUREMENT,
            {"scenario": "drones", "scenario_site": "高新区物流园 / Hi-tech zone logistics park"},
        ),
    ):
        approved += _approved_claim(official, owner, anchor, programmes[kind], data)

    application_create(
        actor=owner,
        programme=programmes[ProgrammeKind.DEMONSTRATION_PROCUREMENT],
        applicant=anchor,
        data={
            "summary": "Packs for the Lingang grid-side storage station.",
            "scenario": "grid_storage",
            "scenario_site": "临港变电站 / Lingang substation",
        },
    )

    energy = _drafted(
        owner,
        programmes[ProgrammeKind.ENERGY_QUOTA],
        anchor,
        {"summary": "Cell line 2: 4 GWh a year.", "standard_quota_tce": Decimal("18000")},
        DocumentKind.ENERGY_ASSESSMENT,
    )
    _reviewed(official, owner, energy)

    matching = _drafted(
        owner,
        programmes[ProgrammeKind.NATIONAL_MATCHING],
        anchor,
        {
            "summary": "National key R&D project: 400 Wh/kg solid-state cells.",
            "project_name": "高比能全固态电池关键技术 / High-energy all-solid-state cells",
            "approving_ministry": "科学技术部 / Ministry of Science and Technology",
            "document_number": "国科发资〔2026〕118号",
            "total_investment_cny": Decimal("40000000.00"),
        },
        DocumentKind.PROJECT_APPROVAL,
    )
    _reviewed(official, owner, matching)
    # 15 % of 40 M is 6 M, above the programme's 5 M threshold: a second official confirms.
    application_approve(actor=official, application=matching, note="Matches the ministry's file.")
    return 4 + approved


def _approved_claim(official, owner, anchor, programme, data) -> int:
    """A purchase claim approved by the official, when the anchor has lines left to claim."""
    claim = application_create(
        actor=owner,
        programme=programme,
        applicant=anchor,
        data={"summary": "Purchases from local suppliers, second half-year.", **data},
    )
    lines = list(claimable_lines(claim).values_list("pk", flat=True)[:8])
    if not lines:
        return 1
    application_set_lines(actor=owner, application=claim, line_ids=lines)
    for kind in programme.required_documents:
        document_add(actor=owner, application=claim, kind=kind, upload=pdf(f"{kind}.pdf"))
    _reviewed(official, owner, claim)
    application_approve(actor=official, application=claim)
    return 1


def sme_applications(*, programmes, official, second_official, owner, sme, objector) -> int:
    """Returned (land priority), in notice with an objection (standards reward), disbursed
    (national matching) and the awarded R&D project with milestone reports and a recovery."""
    land = _drafted(
        owner,
        programmes[ProgrammeKind.LAND_PRIORITY],
        sme,
        {
            "summary": "Second electrolyte plant.",
            "land_area_m2": Decimal("30000"),
            "land_use": "Sulfide electrolyte plant, 500 t a year",
            "planned_investment_cny": Decimal("120000000.00"),
            "planned_jobs": 140,
        },
        DocumentKind.INVESTMENT_PLAN,
    )
    _reviewed(official, owner, land)
    application_return(
        actor=official,
        application=land,
        note="Attach the district's planning opinion to the investment plan.",
    )

    iec = standard_register(
        actor=owner,
        data={
            "body": "IEC",
            "number": "IEC 62660-4",
            "title": "Secondary lithium-ion cells for EV propulsion — Part 4",
            "is_international": True,
            "stage": "committee_draft",
        },
    )
    participation = participation_declare(
        actor=owner,
        standard=iec,
        enterprise=sme,
        role="participant",
        joined_on=days(-400),
        evidence="Nomination letter of the national committee, working group 4.",
    )
    participation_decide(actor=official, participation=participation, confirm=True)
    standard = _drafted(
        owner,
        programmes[ProgrammeKind.STANDARDS_REWARD],
        sme,
        {
            "summary": "Working-group member for the sulfide electrolyte test method.",
            "standard_participation": participation,
        },
        DocumentKind.STANDARD_EVIDENCE,
    )
    _reviewed(official, owner, standard)
    application_approve(actor=official, application=standard)
    notice_publish(actor=official, programme=standard.programme)
    objection_lodge(
        actor=objector,
        application=standard,
        author_name="王工 / Wang Gong",
        organisation="Demo anchor firm",
        reason="The working group's roster lists the enterprise as an observer, not a member.",
    )

    matching = _drafted(
        owner,
        programmes[ProgrammeKind.NATIONAL_MATCHING],
        sme,
        {
            "summary": "National pilot line for sulfide electrolytes.",
            "project_name": "硫化物电解质吨级中试线 / Tonne-scale sulfide electrolyte pilot line",
            "approving_ministry": "工业和信息化部 / MIIT",
            "document_number": "工信部规〔2026〕57号",
            "total_investment_cny": Decimal("10000000.00"),
        },
        DocumentKind.PROJECT_APPROVAL,
    )
    _reviewed(official, owner, matching)
    application_approve(actor=official, application=matching)
    rd = rd_project(programmes[ProgrammeKind.RD_FUND], official, second_official, owner, sme)
    notice_publish(actor=official, programme=matching.programme)
    notice_publish(actor=official, programme=rd.programme)
    _notice_over(matching.programme)
    _notice_over(rd.programme)
    _pay(official, [matching, rd])
    rd_milestone_reports(rd, owner)
    rd.refresh_from_db()
    recovery_open(
        actor=second_official,
        application=rd,
        reason="targets_not_met",
        amount_cny=Decimal("500000.00"),
        basis="The cost KPI of the first milestone was missed: 500,000 CNY of the award.",
    )
    return 4


def rd_project(programme, official, expert, owner, sme):
    """An R&D proposal with its plan, approved below the second-approval threshold."""
    proposal = _drafted(
        owner,
        programme,
        sme,
        {
            "summary": "Halide-doped Li6PS5Cl with σ above 1e-2 S/cm at 25 °C.",
            "requested_amount_cny": Decimal("2800000.00"),
        },
        DocumentKind.PROPOSAL,
    )
    application_set_plan(
        actor=owner,
        application=proposal,
        kpis=[
            {"kpi": "ionic_conductivity", "baseline_value": 0.004, "target_value": 0.012},
            {"kpi": "cost", "baseline_value": 2400, "target_value": 1200},
        ],
        milestones=[
            {"title": "Kilogram batch", "due_on": days(-20)},
            {"title": "Pilot line, 10 t/year", "due_on": days(360)},
        ],
    )
    _reviewed(official, owner, proposal)
    proposal.refresh_from_db()
    # The programme requires a completed review: an expert (the second official) scores it.
    review = review_assign(actor=official, application=proposal, reviewer=expert)
    review_submit(
        actor=expert,
        review=review,
        scores={"merit": 8, "impact": 7, "feasibility": 8},
        recommendation=Recommendation.APPROVE_WITH_CHANGES,
        comment="Sound chemistry; the 10 t/year pilot needs a firmer cost plan.",
    )
    application_approve(actor=official, application=proposal, amount_cny=Decimal("2500000.00"))
    return proposal


def rd_milestone_reports(rd, owner) -> None:
    """The first milestone is reported: conductivity above its target, cost not yet."""
    milestone = rd.milestones.order_by("due_on").first()
    milestone_report_file(
        actor=owner,
        application=rd,
        milestone=milestone,
        reported_on=days(-10),
        summary="1 kg batches at 1.3e-2 S/cm; precursor cost still 1,650 CNY/kg.",
        evidence=pdf("milestone-1.pdf"),
        values=[
            {"kpi": "ionic_conductivity", "value": 0.013, "source": "reported"},
            {"kpi": "cost", "value": 1650, "source": "reported"},
        ],
    )
