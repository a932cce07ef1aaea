"""What the alliance's API modules share: the note and organisation serializers and the
date-order check (the base viewset and error answers are `ssb_portal.api`'s).
"""

from django.utils.translation import gettext
from rest_framework import serializers

from directory.models import Enterprise
from ssb_portal.api import RefuseUnknownFields


def not_before(attrs: dict, start: str, end: str) -> None:
    if attrs.get(start) and attrs.get(end) and attrs[end] < attrs[start]:
        raise serializers.ValidationError({end: gettext("This date cannot be before the start.")})


class NoteInSerializer(RefuseUnknownFields, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ("uscc", "name_zh", "name_en")
        read_only_fields = fields
