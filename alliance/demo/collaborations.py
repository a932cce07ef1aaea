"""The demo anchor's demands and the demo SME's answers, through the services: interest,
invitations, accepted meetings and one collaboration in each of the seed's three models
(licensing and joint development with a university, long-term supply whose deliveries the
anchor's purchase records show, standard co-creation), each with milestones."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance.models import Demand
from alliance.services import collaborations as collaboration_services
from alliance.services import demands as demand_services
from alliance.services import responses as response_services
from directory.demo.documents import blank_pdf
from directory.models import Enterprise, EnterpriseKind, PurchaseImportSource, SupplyCategory
from directory.purchases.services import purchase_lines_import

#: Demands the anchor posts besides seed_alliance's first two: (title, category, model, data).
MORE_DEMANDS = [
    (
        "固态电池安全测试方法团体标准 / Group standard: SSB safety test method",
        "solid-electrolyte",
        "standard",
        {"description": "Co-write the alliance's nail-penetration and thermal-runaway method."},
    ),
    (
        "卤化物电解质小批量试制 / Halide electrolyte, pilot batches",
        "halide-electrolyte",
        "supply",
        {"ionic_conductivity_min": 1e-3, "annual_volume": Decimal("5"), "volume_unit": "t"},
    ),
    (
        "锂金属负极箔材 / Lithium-metal anode foil",
        "lithium-metal-anode",
        "supply",
        {"annual_volume": Decimal("20"), "volume_unit": "t"},
    ),
]


def post_more_demands(*, owner_user, anchor) -> list[Demand]:
    made = []
    for title, slug, model, data in MORE_DEMANDS:
        category = SupplyCategory.objects.filter(slug=slug).first()
        made.append(
            demand_services.demand_create(
                actor=owner_user,
                owner=anchor,
                data={
                    "title": title,
                    "category": category,
                    "preferred_model": model,
                    "visibility": "members",
                    **data,
                },
            )
        )
    return made


def _accepted(*, owner_user, sme_user, sme, demand, interest: str = ""):
    """The SME shows interest (or is invited directly), is invited and accepts."""
    if interest:
        response_services.interest_express(
            actor=sme_user, demand=demand, supplier=sme, message=interest
        )
    response = response_services.supplier_invite(
        actor=owner_user, demand=demand, supplier=sme, message="请来洽谈 / Let us talk."
    )
    return response_services.response_answer(actor=sme_user, response=response, accept=True)


def _meeting(*, owner_user, sme_user, response, now) -> None:
    slots = [now + datetime.timedelta(days=days, hours=2) for days in (3, 5)]
    meeting = response_services.meeting_propose(
        actor=owner_user, response=response, slots=slots, location="高新区 / Hi-tech zone"
    )
    response_services.meeting_answer(
        actor=sme_user, meeting=meeting, slot=meeting.slots[0], accept=True
    )


def _agree(*, owner_user, sme_user, response, terms):
    collaboration_services.collaboration_agree(actor=owner_user, response=response, terms=terms)
    return collaboration_services.collaboration_agree(actor=sme_user, response=response)


def _milestones(*, actor, collaboration, today, done: int, titles) -> None:
    collaboration_services.collaboration_document_add(
        actor=actor,
        collaboration=collaboration,
        title="合作协议（签署版）/ Signed agreement",
        upload=SimpleUploadedFile("agreement.pdf", blank_pdf(), content_type="application/pdf"),
    )
    for n, title in enumerate(titles):
        milestone = collaboration_services.milestone_add(
            actor=actor,
            collaboration=collaboration,
            title=title,
            due_on=today + datetime.timedelta(days=90 * (n + 1) - 200),
        )
        if n < done:
            collaboration_services.milestone_complete(
                actor=actor,
                milestone=milestone,
                completed_on=min(today, milestone.due_on),
            )


def _deliveries(*, anchor, sme, year: int, today) -> int:
    """The supplier's deliveries, as the anchor's ERP records them (quantities in t)."""
    category = sme.categories.order_by("pk").first()
    rows = []
    for offset, months in ((-1, range(1, 13)), (0, range(1, today.month + 1))):
        for month in months:
            day = datetime.date(year + offset, month, 15)
            if day > today:
                continue
            rows.append(
                {
                    "invoice_no": f"DEMO-SUPPLY-{day:%Y%m}",
                    "line_no": 1,
                    "invoice_date": day.isoformat(),
                    "supplier_uscc": sme.uscc,
                    "supplier_name": sme.name_zh,
                    "category": category.slug if category else "sulfide-electrolyte",
                    "quantity": "4.000",
                    "unit": "t",
                    "amount": "380000.00",
                }
            )
    purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=rows,
        source=PurchaseImportSource.COMMAND,
        review_large=False,
    )
    return len(rows)


def seed_collaborations(*, owner_user, anchor, sme_user, sme) -> dict[str, int]:
    """Three collaborations, one per model, and two demands still open (one with the SME's
    interest, one with an invitation waiting); returns counts."""
    today, now = timezone.localdate(), timezone.now()
    year = today.year
    supply = Demand.objects.get(owner=anchor, preferred_model="supply", title__contains="Sulfide")
    licensing = Demand.objects.get(owner=anchor, preferred_model="licensing")
    standard, halide, foil = post_more_demands(owner_user=owner_user, anchor=anchor)
    common = {"owner_user": owner_user, "sme_user": sme_user, "sme": sme}

    # Long-term supply: the interest seed_alliance expressed, then an invitation and a meeting.
    response = _accepted(demand=supply, **common)
    _meeting(owner_user=owner_user, sme_user=sme_user, response=response, now=now)
    supply_terms = {
        "agreed_value_cny": Decimal("9000000.00"),
        "starts_on": datetime.date(year - 1, 1, 1),
        "ends_on": datetime.date(year + 2, 12, 31),
        "committed_annual_volume": Decimal("50"),
        "volume_unit": "t",
    }
    supplied = _agree(
        owner_user=owner_user, sme_user=sme_user, response=response, terms=supply_terms
    )
    _milestones(
        actor=owner_user,
        collaboration=supplied,
        today=today,
        done=2,
        titles=["首批交付 / First delivery", "产线审核 / Line audit", "年度复盘 / Annual review"],
    )
    deliveries = _deliveries(anchor=anchor, sme=sme, year=year, today=today)

    # Licensing and joint development, with a university brought in.
    response = _accepted(demand=licensing, **common)
    _meeting(owner_user=owner_user, sme_user=sme_user, response=response, now=now)
    joint = _agree(
        owner_user=owner_user,
        sme_user=sme_user,
        response=response,
        terms={
            "agreed_value_cny": Decimal("3500000.00"),
            "starts_on": today.replace(month=1, day=1),
        },
    )
    university = (
        Enterprise.objects.filter(
            kind=EnterpriseKind.UNIVERSITY, alliance_membership__status="approved"
        )
        .order_by("pk")
        .first()
    )
    if university is not None:
        collaboration_services.collaboration_add_party(
            actor=owner_user, collaboration=joint, enterprise=university
        )
    _milestones(
        actor=owner_user,
        collaboration=joint,
        today=today,
        done=1,
        titles=["专利许可签署 / Patent licence signed", "中试样品 / Pilot samples"],
    )

    # Standard co-creation.
    response = _accepted(
        demand=standard, interest="我们参与过 IEC 62660-4 / We sit on IEC 62660-4.", **common
    )
    cocreated = _agree(
        owner_user=owner_user,
        sme_user=sme_user,
        response=response,
        terms={"starts_on": today - datetime.timedelta(days=60)},
    )
    _milestones(
        actor=owner_user,
        collaboration=cocreated,
        today=today,
        done=1,
        titles=["工作组草案 / Working draft", "征求意见稿 / Draft for comments"],
    )

    # Still open: the SME's interest in one, an invitation waiting on the other.
    response_services.interest_express(
        actor=sme_user, demand=halide, supplier=sme, message="Li3InCl6, 2 t in 2027."
    )
    response_services.supplier_invite(
        actor=owner_user, demand=foil, supplier=sme, message="Can you roll 20 µm foil?"
    )
    return {"collaborations": 3, "demands": 2 + len(MORE_DEMANDS), "deliveries": deliveries}
