"""What the alliance's API modules share: the base viewset, the documented error answers, the
note and organisation serializers, the date-order check.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated

from directory.models import Enterprise
from ssb_portal.api import RefuseUnknownFields


def _not_before(attrs: dict, start: str, end: str) -> None:
    if attrs.get(start) and attrs.get(end) and attrs[end] < attrs[start]:
        raise serializers.ValidationError({end: gettext("This date cannot be before the start.")})


class NoteInSerializer(RefuseUnknownFields, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ("uscc", "name_zh", "name_en")
        read_only_fields = fields


INVALID = OpenApiResponse(description=_("Invalid data; the errors are listed under each field."))
FORBIDDEN = OpenApiResponse(description=_("You may not do this."))
NOT_FOUND = OpenApiResponse(description=_("No such record, or not yours to see."))


class AllianceViewSet(viewsets.GenericViewSet):
    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"
