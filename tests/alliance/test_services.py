"""The alliance's rules, proved through the services people's actions call."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance import selectors
from alliance.models import (
    AllianceEvent,
    AllianceMember,
    CollaborationStatus,
    DemandResponse,
    DemandStatus,
    MemberStatus,
    ParticipationStatus,
    ResponseStatus,
)
from alliance.services import collaborations as collaboration_services
from alliance.services import demands as demand_services
from alliance.services import membership as membership_services
from alliance.services import responses as response_services
from alliance.services import standards as standard_services
from directory.models import ListingStatus, SupplyCategory
from tests.factories import (
    AllianceMemberFactory,
    CertificationFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
    PurchaseLineFactory,
    StandardFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(anchor, sme):
    """The anchor firm and the SME are approved alliance members; the SME makes a good
    sulfide electrolyte."""
    AllianceMemberFactory(enterprise=anchor)
    AllianceMemberFactory(enterprise=sme)
    ProductFactory(enterprise=sme, ionic_conductivity=1.2e-2, asr=6.0)
    return anchor, sme


def _member_sme(**fields):
    """A verified SME that is an approved alliance member: one that matching may list."""
    return AllianceMemberFactory(enterprise=EnterpriseFactory(**fields)).enterprise


def _post(anchor, **data):
    values = {
        "title": "Li6PS5Cl, 50 t a year",
        "category": SupplyCategory.objects.get(slug="sulfide-electrolyte"),
        "ionic_conductivity_min": 5e-3,
        "preferred_model": "supply",
        "visibility": "members",
    }
    values.update(data)
    return demand_services.demand_create(actor=anchor.owner, owner=anchor, data=values)


def _future(hours=48):
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(microsecond=0)


# --- membership -------------------------------------------------------------------------------


def test_an_unverified_organisation_cannot_join(sme):
    type(sme).objects.filter(pk=sme.pk).update(status=ListingStatus.PENDING)
    sme.refresh_from_db()
    with pytest.raises(ValidationError, match="verified in the directory"):
        membership_services.member_apply(actor=sme.owner, enterprise=sme)


def test_officials_decide_applications_and_a_declined_one_may_apply_again(sme, official):
    member = membership_services.member_apply(actor=sme.owner, enterprise=sme, motivation="Supply")
    with pytest.raises(PermissionDenied):
        membership_services.member_approve(actor=sme.owner, member=member)
    with pytest.raises(ValidationError) as error:
        membership_services.member_decline(actor=official, member=member, reason=" ")
    assert "reason" in error.value.message_dict
    membership_services.member_decline(actor=official, member=member, reason="Licence expired")
    again = membership_services.member_apply(actor=sme.owner, enterprise=sme, motivation="Renewed")
    assert again.status == MemberStatus.APPLIED
    approved = membership_services.member_approve(actor=official, member=again)
    assert approved.is_member
    actions = list(
        AllianceEvent.objects.filter(subject_id=member.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["applied", "declined", "applied", "approved"]


# --- demands and who sees them ----------------------------------------------------------------


def test_only_anchor_members_post_demands(members, sme):
    with pytest.raises(PermissionDenied):
        demand_services.demand_create(actor=sme.owner, owner=sme, data={"title": "x"})


def test_a_demand_names_bad_fields(members):
    anchor, _sme = members
    with pytest.raises(ValidationError) as error:
        _post(anchor, required_certifications=["ISO 1234567"])
    assert "required_certifications" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _post(anchor, annual_volume=Decimal("50"))
    assert "volume_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _post(anchor, decay_rate_max=150)
    assert "decay_rate_max" in error.value.message_dict


def test_qualifying_smes_that_opted_in_hear_of_a_new_demand(
    members, django_capture_on_commit_callbacks
):
    anchor, sme = members
    silent = EnterpriseFactory()
    ProductFactory(enterprise=silent, ionic_conductivity=2e-2)
    AllianceMemberFactory(enterprise=silent, notify_new_demands=False)
    MembershipFactory(enterprise=silent, user=UserFactory(username="silent"))
    weak = EnterpriseFactory()
    ProductFactory(enterprise=weak, ionic_conductivity=1e-4)
    AllianceMemberFactory(enterprise=weak)
    MembershipFactory(enterprise=weak, user=UserFactory(username="weak"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _post(anchor)
    assert [message.to for message in mail.outbox] == [[sme.owner.email]]


def test_a_private_demand_is_seen_only_by_invited_smes(members):
    anchor, sme = members
    outsider = EnterpriseFactory()
    AllianceMemberFactory(enterprise=outsider)
    outsider_user = UserFactory(username="outsider")
    MembershipFactory(enterprise=outsider, user=outsider_user)
    demand = _post(anchor, visibility="invited")
    assert demand not in selectors.demands_visible_to(outsider_user)
    with pytest.raises(PermissionDenied):
        response_services.interest_express(
            actor=outsider_user, demand=demand, supplier=outsider, message="We can"
        )
    response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=sme)
    assert demand in selectors.demands_visible_to(sme.owner)
    assert demand not in selectors.demands_visible_to(outsider_user)


def test_smes_see_the_open_demands_of_their_categories(members):
    anchor, sme = members
    fitting = _post(anchor)
    other = _post(anchor, category=SupplyCategory.objects.get(slug="pack-bms"))
    listed = list(selectors.demands_for_supplier(sme))
    assert fitting in listed and other not in listed


# --- matching ---------------------------------------------------------------------------------


def test_matches_apply_the_hard_filters_and_explain_the_score(members):
    anchor, sme = members
    weak = _member_sme(name_zh="弱")
    ProductFactory(enterprise=weak, ionic_conductivity=1e-3)
    unverified = _member_sme(status=ListingStatus.PENDING)
    ProductFactory(enterprise=unverified, ionic_conductivity=2e-2)
    uncertified = _member_sme()
    ProductFactory(enterprise=uncertified, ionic_conductivity=2e-2)
    expired = _member_sme()
    ProductFactory(enterprise=expired, ionic_conductivity=2e-2)
    CertificationFactory(
        enterprise=expired,
        scheme="ISO 9001",
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    CertificationFactory(enterprise=sme, scheme="ISO 9001")
    demand = _post(anchor, required_certifications=["ISO 9001"])
    matches = selectors.demand_matches(demand)
    assert [match.enterprise_id for match in matches] == [sme.pk]
    match = matches[0]
    assert match.score.total == sum(part.points for part in match.score.parts)
    assert match.score.parts[0].detail["margins"] == {"ionic_conductivity": 140.0}
    assert match.qualifies == ["ionic_conductivity", "ISO 9001"]


@pytest.mark.parametrize("membership", [None, MemberStatus.APPLIED, MemberStatus.DECLINED], ids=str)
def test_a_verified_sme_that_is_not_an_approved_member_is_not_matched(members, membership):
    """The anchor could not invite it (supplier_invite refuses non-members), so it is not
    listed, however good its product."""
    anchor, sme = members
    outsider = EnterpriseFactory(name_zh="局外")
    if membership is not None:
        AllianceMemberFactory(enterprise=outsider, status=membership)
    ProductFactory(enterprise=outsider, ionic_conductivity=5e-2)
    demand = _post(anchor)

    assert [match.enterprise_id for match in selectors.demand_matches(demand)] == [sme.pk]
    assert not selectors.qualifying_products(demand).filter(enterprise=outsider).exists()
    with pytest.raises(ValidationError):
        response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=outsider)


def test_the_better_product_ranks_higher(members):
    anchor, sme = members
    better = _member_sme(name_zh="更好")
    ProductFactory(enterprise=better, ionic_conductivity=3e-2)
    # the SME's 1.2e-2 beats 1e-2 by 20 %, the better one's 3e-2 by 200 % (full points)
    demand = _post(anchor, ionic_conductivity_min=1e-2)
    ranked = selectors.demand_matches(demand)
    assert [match.enterprise_id for match in ranked] == [better.pk, sme.pk]
    assert ranked[0].score.parts[0].points == 35 and ranked[1].score.parts[0].points == 24.5


def test_matching_takes_the_same_queries_for_two_or_twenty_candidates(
    members, django_assert_num_queries
):
    anchor, _sme = members
    demand = _post(anchor)
    # the ranked candidates: best product, enterprise, district and history in one statement
    with django_assert_num_queries(1) as few:
        assert len(selectors.demand_matches(demand)) == 1
    for _ in range(20):
        ProductFactory(enterprise=_member_sme(), ionic_conductivity=1e-2)
    demand = type(demand).objects.get(pk=demand.pk)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(selectors.demand_matches(demand)) == 21


def test_the_list_is_cut_to_the_limit_with_the_best_first(members):
    anchor, _sme = members
    for n in range(6):
        ProductFactory(enterprise=_member_sme(), ionic_conductivity=5e-3 * (1 + n / 10))
    demand = _post(anchor)
    everyone = selectors.demand_matches(demand)
    top = selectors.demand_matches(demand, limit=3)
    assert [m.enterprise_id for m in top] == [m.enterprise_id for m in everyone[:3]]
    totals = [m.score.total for m in everyone]
    assert totals == sorted(totals, reverse=True) and len(set(totals)) > 1


# --- from interest to collaboration -----------------------------------------------------------


def test_from_interest_to_a_collaboration(members, django_capture_on_commit_callbacks):
    anchor, sme = members
    demand = _post(anchor, annual_volume=Decimal("50"), volume_unit="t")
    response = response_services.interest_express(
        actor=sme.owner, demand=demand, supplier=sme, message="We make 80 t a year."
    )
    with pytest.raises(ValidationError, match="already answered"):
        response_services.interest_express(
            actor=sme.owner, demand=demand, supplier=sme, message="Again"
        )
    response = response_services.response_shortlist(actor=anchor.owner, response=response)
    response = response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=sme)
    assert response.status == ResponseStatus.INVITED
    with pytest.raises(PermissionDenied):
        response_services.response_answer(actor=anchor.owner, response=response, accept=True)
    response = response_services.response_answer(actor=sme.owner, response=response, accept=True)
    assert response.answered_at is not None

    with pytest.raises(ValidationError) as error:
        response_services.meeting_propose(
            actor=sme.owner, response=response, slots=[timezone.now() - datetime.timedelta(hours=1)]
        )
    assert "slots" in error.value.message_dict
    slot = _future()
    meeting = response_services.meeting_propose(
        actor=sme.owner, response=response, slots=[slot, _future(72)], location="Donghu"
    )
    with pytest.raises(PermissionDenied):
        response_services.meeting_answer(actor=sme.owner, meeting=meeting, slot=slot.isoformat())
    with pytest.raises(ValidationError) as error:
        response_services.meeting_answer(
            actor=anchor.owner, meeting=meeting, slot=_future(5).isoformat()
        )
    assert "slot" in error.value.message_dict
    meeting = response_services.meeting_answer(
        actor=anchor.owner, meeting=meeting, slot=slot.isoformat()
    )
    assert meeting.starts_at == slot

    with pytest.raises(ValidationError, match="sets the terms first"):
        collaboration_services.collaboration_agree(actor=sme.owner, response=response)
    terms = {
        "agreed_value_cny": Decimal("4000000.00"),
        "starts_on": timezone.localdate(),
        "committed_annual_volume": Decimal("50"),
        "volume_unit": "t",
    }
    assert (
        collaboration_services.collaboration_agree(
            actor=anchor.owner, response=response, terms=terms
        )
        is None
    )
    collaboration = collaboration_services.collaboration_agree(actor=sme.owner, response=response)
    assert collaboration.model == "supply"
    assert collaboration.agreed_value_cny == Decimal("4000000.00")
    assert {(p.enterprise_id, p.role) for p in collaboration.parties.all()} == {
        (anchor.pk, "anchor"),
        (sme.pk, "supplier"),
    }
    demand.refresh_from_db()
    assert demand.status == DemandStatus.MATCHED


def test_new_terms_withdraw_the_suppliers_earlier_agreement(members):
    anchor, sme = members
    demand = _post(anchor)
    response = response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=sme)
    response_services.response_answer(actor=sme.owner, response=response, accept=True)
    today = timezone.localdate()
    collaboration_services.collaboration_agree(
        actor=anchor.owner, response=response, terms={"starts_on": today}
    )
    response.refresh_from_db()
    type(response).objects.filter(pk=response.pk).update(supplier_agreed_at=timezone.now())
    collaboration_services.collaboration_agree(
        actor=anchor.owner,
        response=response,
        terms={"starts_on": today, "agreed_value_cny": Decimal("1.00")},
    )
    response.refresh_from_db()
    assert response.supplier_agreed_at is None


def test_a_long_term_supply_shows_deliveries_against_the_commitment(members):
    anchor, sme = members
    demand = _post(anchor)
    response = response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=sme)
    response_services.response_answer(actor=sme.owner, response=response, accept=True)
    start = timezone.localdate().replace(month=1, day=1)
    collaboration_services.collaboration_agree(
        actor=anchor.owner,
        response=response,
        terms={"starts_on": start, "committed_annual_volume": Decimal("50"), "volume_unit": "t"},
    )
    collaboration = collaboration_services.collaboration_agree(actor=sme.owner, response=response)
    PurchaseLineFactory(
        buyer=anchor, supplier=sme, quantity=Decimal("20"), unit="t", invoice_date=start
    )
    PurchaseLineFactory(buyer=anchor, supplier=EnterpriseFactory(), quantity=Decimal("99"))
    rows = selectors.supply_delivered(collaboration)
    assert rows[-1]["year"] == start.year
    assert rows[-1]["quantity"] == Decimal("20")
    assert rows[-1]["delivered_percent"] == Decimal("40.0")


def test_only_parties_change_a_collaboration_and_termination_needs_a_reason(members):
    anchor, sme = members
    demand = _post(anchor)
    response = response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=sme)
    response_services.response_answer(actor=sme.owner, response=response, accept=True)
    collaboration_services.collaboration_agree(
        actor=anchor.owner, response=response, terms={"starts_on": timezone.localdate()}
    )
    collaboration = collaboration_services.collaboration_agree(actor=sme.owner, response=response)
    stranger = UserFactory(username="stranger")
    with pytest.raises(PermissionDenied):
        collaboration_services.milestone_add(
            actor=stranger, collaboration=collaboration, title="x", due_on=timezone.localdate()
        )
    with pytest.raises(ValidationError) as error:
        collaboration_services.collaboration_close(
            actor=anchor.owner, collaboration=collaboration, status="terminated"
        )
    assert "note" in error.value.message_dict
    closed = collaboration_services.collaboration_close(
        actor=sme.owner, collaboration=collaboration, status="completed"
    )
    assert closed.status == CollaborationStatus.COMPLETED


def test_answering_invitations_and_completing_collaborations_keep_the_supplier_history(
    members,
):
    """What matching ranks on is counted again by the services that change it."""
    anchor, sme = members
    demand = _post(anchor)
    history = AllianceMember.objects.filter(enterprise=sme)
    assert history.values_list("completed_collaborations", "median_answer_hours").get() == (
        0,
        None,
    )
    response = response_services.supplier_invite(actor=anchor.owner, demand=demand, supplier=sme)
    DemandResponse.objects.filter(pk=response.pk).update(
        invited_at=timezone.now() - datetime.timedelta(hours=30)
    )
    response_services.response_answer(actor=sme.owner, response=response, accept=True)
    assert history.get().median_answer_hours == pytest.approx(30, abs=0.01)
    assert history.get().completed_collaborations == 0

    collaboration_services.collaboration_agree(
        actor=anchor.owner, response=response, terms={"starts_on": timezone.localdate()}
    )
    collaboration = collaboration_services.collaboration_agree(actor=sme.owner, response=response)
    assert history.get().completed_collaborations == 0  # active, not completed
    collaboration_services.collaboration_close(
        actor=anchor.owner, collaboration=collaboration, status="completed"
    )

    assert history.get().completed_collaborations == 1
    [match] = selectors.demand_matches(_post(anchor, title="The next demand"))
    parts = {part.key: part for part in match.score.parts}
    assert parts["track_record"].points == 5
    assert parts["responsiveness"].detail["median_hours"] == pytest.approx(30, abs=0.1)


# --- standards --------------------------------------------------------------------------------


def test_one_lead_per_standard_and_officials_confirm(members, official):
    anchor, sme = members
    standard = StandardFactory()
    lead = standard_services.participation_declare(
        actor=anchor.owner,
        standard=standard,
        enterprise=anchor,
        role="lead",
        joined_on=datetime.date(2025, 3, 1),
        evidence="Convenor letter",
    )
    with pytest.raises(ValidationError) as error:
        standard_services.participation_declare(
            actor=sme.owner,
            standard=standard,
            enterprise=sme,
            role="lead",
            joined_on=datetime.date(2025, 3, 1),
            evidence="Letter",
        )
    assert "role" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        standard_services.participation_decide(actor=anchor.owner, participation=lead, confirm=True)
    with pytest.raises(ValidationError):
        standard_services.participation_decide(actor=official, participation=lead, confirm=False)
    confirmed = standard_services.participation_decide(
        actor=official, participation=lead, confirm=True
    )
    assert confirmed.status == ParticipationStatus.CONFIRMED
    assert list(selectors.confirmed_participations_of(anchor)) == [confirmed]


def test_a_standard_is_recorded_once_however_its_number_is_written(anchor):
    data = {"body": "ISO", "number": "12405-4", "title": "Packs", "stage": "published"}
    standard_services.standard_register(actor=anchor.owner, data=data)
    with pytest.raises(ValidationError) as error:
        standard_services.standard_register(
            actor=anchor.owner, data={**data, "number": "ISO 12405 4"}
        )
    assert "number" in error.value.message_dict


def test_the_organisation_hears_why_its_participation_was_not_confirmed(
    members, official, django_capture_on_commit_callbacks
):
    anchor, _sme = members
    participation = standard_services.participation_declare(
        actor=anchor.owner,
        standard=StandardFactory(),
        enterprise=anchor,
        role="participant",
        joined_on=datetime.date(2025, 3, 1),
        evidence="Letter",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        standard_services.participation_decide(
            actor=official, participation=participation, confirm=False, reason="No ballot record"
        )
    assert [message.to for message in mail.outbox] == [[anchor.owner.email]]
    assert "No ballot record" in mail.outbox[0].body
