"""The published heads of the audit chain, public: a page and an API list, so that copies
exist outside the portal's database (anyone may keep one and check it later)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from ssb_portal.audit_chain.models import PublishedHead
from ssb_portal.pages import page_of


def audit_heads(request: HttpRequest) -> HttpResponse:
    page = page_of(request, PublishedHead.objects.all(), size=50)
    return render(request, "audit_chain/heads.html", {"page": page})


class PublishedHeadSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublishedHead
        fields = ["sequence", "entry_hash", "published_at", "where", "day"]


@extend_schema(
    tags=["audit chain"],
    summary=_("Published heads of the audit chain"),
    description=_(
        "Every head of the audit chain made public (daily, with each public notice and each "
        "submission receipt), newest first. Keep a copy: `manage.py verify_audit_log --heads "
        "FILE` checks the chain against it and shows a rollback."
    ),
)
class PublishedHeadList(generics.ListAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PublishedHeadSerializer
    queryset = PublishedHead.objects.all()
