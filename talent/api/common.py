"""What every talent API view shares: the base viewset, the visible-id field, the
standard error responses and the helper that keeps only the fields a request sent."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ssb_portal.ids import MAX_ID


def _sent(serializer: serializers.Serializer, *exclude: str) -> dict[str, Any]:
    """Only the fields the request names (form data would add empty values)."""
    return {
        name: value
        for name, value in serializer.validated_data.items()
        if name in serializer.initial_data and name not in exclude
    }


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    """A record named by its id, among those the serializer's `queryset` lets the user see."""

    default_error_messages = {
        "does_not_exist": _("No record with this id, or not yours to see."),
        "incorrect_type": _("Send the record's id, a whole number."),
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= number <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


INVALID = OpenApiResponse(description=_("Invalid data; the errors are listed under each field."))
FORBIDDEN = OpenApiResponse(description=_("You may not do this."))
NOT_FOUND = OpenApiResponse(description=_("No such record, or not yours to see."))


class TalentViewSet(viewsets.GenericViewSet):
    # Token first, so that a request without credentials is told to bring a token (401).
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"

    def paged(self, serializer_class: type[serializers.Serializer]) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(serializer_class(page, many=True).data)
