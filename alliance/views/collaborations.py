"""Collaborations: the list, one collaboration's page, and its milestones, documents, parties
and closing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliance import selectors
from alliance.forms import (
    CollaborationCloseForm,
    DocumentForm,
    MilestoneCompleteForm,
    MilestoneForm,
    PartyForm,
)
from alliance.models import CollaborationModel, CollaborationStatus, MemberStatus
from alliance.services import collaborations as collaboration_services
from alliance.views.common import collaboration_url, my_enterprise_ids, unit_label
from directory.models import Enterprise, EnterpriseKind
from ssb_portal.pages import form_carried_out, page_of, posted
from ssb_portal.private_files import document_response
from ssb_portal.roles import is_official


@login_required
def collaborations(request: HttpRequest) -> HttpResponse:
    queryset = selectors.collaborations_visible_to(request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "alliance/collaborations.html",
        {"page": page_of(request, queryset), "official": is_official(request.user)},
    )


def _party_candidates(party_ids: set[int]):
    return (
        Enterprise.objects.filter(
            alliance_membership__status=MemberStatus.APPROVED,
            kind__in=(EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE),
        )
        .exclude(pk__in=party_ids)
        .order_by("name_zh", "pk")
    )


def _render_collaboration(
    request: HttpRequest, pk: int, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    collaboration = selectors.collaboration_for(request.user, pk)
    parties = list(collaboration.parties.all())
    party_ids = {party.enterprise_id for party in parties}
    is_party = bool(party_ids & my_enterprise_ids(request.user))
    active = is_party and collaboration.status == CollaborationStatus.ACTIVE
    milestones = list(collaboration.milestones.all())
    context = {
        "collaboration": collaboration,
        "parties": parties,
        "milestones": milestones,
        "documents": list(collaboration.documents.all()),
        "is_party": is_party,
        "can_change": active,
        "official": is_official(request.user),
        "deliveries": (
            selectors.supply_delivered(collaboration)
            if collaboration.model == CollaborationModel.LONG_TERM_SUPPLY
            else None
        ),
        "milestone_form": (bound.get("milestone") or MilestoneForm()) if active else None,
        "complete_forms": (
            {
                m.pk: bound.get(f"complete-{m.pk}")
                or MilestoneCompleteForm(auto_id=f"id_complete{m.pk}_%s")
                for m in milestones
                if m.completed_on is None
            }
            if active
            else {}
        ),
        "document_form": (bound.get("document") or DocumentForm()) if is_party else None,
        "party_form": (bound.get("party") or PartyForm(candidates=_party_candidates(party_ids)))
        if active
        else None,
        "volume_unit_label": unit_label(collaboration.volume_unit),
        "today": timezone.localdate(),
    }
    for milestone in milestones:
        milestone.complete_form = context["complete_forms"].get(milestone.pk)
    return render(request, "alliance/collaboration.html", context, status=status)


@login_required
def collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    """Parties, model, value, dates, milestones, documents and, for supply, deliveries."""
    return _render_collaboration(request, pk)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    form = MilestoneForm(request.POST)
    done = form_carried_out(
        request,
        form,
        lambda: collaboration_services.milestone_add(
            actor=request.user,
            collaboration=collaboration,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
        ),
        success=_("The milestone is added."),
        to=collaboration_url(collaboration.pk, "milestones"),
    )
    return done or _render_collaboration(request, pk, bound={"milestone": form}, status=400)


@login_required
@require_POST
def milestone_complete(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    milestone = get_object_or_404(collaboration.milestones.all(), pk=milestone_id)
    milestone.collaboration = collaboration
    form = MilestoneCompleteForm(request.POST, auto_id=f"id_complete{milestone.pk}_%s")
    done = form_carried_out(
        request,
        form,
        lambda: collaboration_services.milestone_complete(
            actor=request.user,
            milestone=milestone,
            completed_on=form.cleaned_data["completed_on"],
        ),
        success=_("“%(title)s” is marked completed.") % {"title": milestone.title},
        to=collaboration_url(collaboration.pk, "milestones"),
    )
    return done or _render_collaboration(
        request, pk, bound={f"complete-{milestone.pk}": form}, status=400
    )


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    done = form_carried_out(
        request,
        form,
        lambda: collaboration_services.collaboration_document_add(
            actor=request.user,
            collaboration=collaboration,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        success=lambda document: _("“%(title)s” is attached.") % {"title": document.title},
        to=collaboration_url(collaboration.pk, "documents"),
    )
    return done or _render_collaboration(request, pk, bound={"document": form}, status=400)


def collaboration_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Stream a private document to the parties and officials; 404 for anyone else (anonymous
    visitors included: the page does not reveal that the file exists)."""
    collaboration = selectors.collaboration_for(request.user, pk)
    document = get_object_or_404(collaboration.documents.all(), pk=document_id)
    return document_response(document)


@login_required
@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    party_ids = {party.enterprise_id for party in collaboration.parties.all()}
    form = PartyForm(request.POST, candidates=_party_candidates(party_ids))
    done = form_carried_out(
        request,
        form,
        lambda: collaboration_services.collaboration_add_party(
            actor=request.user,
            collaboration=collaboration,
            enterprise=form.cleaned_data["enterprise"],
        ),
        success=lambda party: _("%(name)s is now a party.") % {"name": party.enterprise.name_zh},
        to=collaboration_url(collaboration.pk, "parties"),
    )
    return done or _render_collaboration(request, pk, bound={"party": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_close(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = selectors.collaboration_for(request.user, pk)
    if collaboration.status != CollaborationStatus.ACTIVE:
        messages.error(request, _("This collaboration is already closed."))
        return redirect(collaboration_url(collaboration.pk))
    form = CollaborationCloseForm(posted(request))
    done = form_carried_out(
        request,
        form,
        lambda: collaboration_services.collaboration_close(
            actor=request.user,
            collaboration=collaboration,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
        success=_("The collaboration is closed."),
        to=collaboration_url(collaboration.pk),
    )
    return done or render(
        request,
        "alliance/collaboration_close.html",
        {"collaboration": collaboration, "form": form},
        status=400 if form.errors else 200,
    )
