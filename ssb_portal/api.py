"""Shared API pieces: pagination, the translation of domain errors into HTTP answers, the
documented error answers and the fields a request sent.

REST framework's settings name this module's pagination and exception handler, so it imports no
view machinery (that would import it again half-loaded); the base viewset is in
`ssb_portal.viewsets`."""

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, serializers
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

DATA_REFUSED = _(
    "A value sent cannot be stored or looked up (for example, it holds a NUL character)."
)
INVALID = OpenApiResponse(description=_("Invalid data; the errors are listed under each field."))
FORBIDDEN = OpenApiResponse(description=_("You may not do this."))
NOT_FOUND = OpenApiResponse(description=_("No such record, or not yours to see."))


class RowErrorSerializer(serializers.Serializer):
    """One problem of an imported row (`ssb_portal.tabular.RowError`)."""

    row = serializers.IntegerField(
        help_text=_("The row, from 1; 0 for the file or the request as a whole.")
    )
    column = serializers.CharField(
        allow_blank=True, help_text=_("The field or column; empty for the row as a whole.")
    )
    message = serializers.CharField()


class RowErrorsSerializer(serializers.Serializer):
    """The answer of an import refused for its rows: every problem, nothing saved. (Imports
    document their 400 with it; REST framework's field errors are documented for every 400 by
    `ssb_portal.schema`.)"""

    errors = RowErrorSerializer(many=True)


class StandardPagination(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 keyed by field.

    A value the database driver refuses to store or look up (PostgreSQL: a NUL character in a
    slug or filter value) is the request's fault too: a 400, not a server error."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DataError):
        logger.warning("API request refused by the database: %s", exc)
        exc = exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [gettext(DATA_REFUSED)]}
        )
    return drf_exception_handler(exc, context)


class RefuseUnknownFields:
    # Mixed into input serializers: a field the endpoint does not know is an error, not
    # silently dropped. (A comment, not a docstring: the schema would show it as every
    # input's description.)

    def to_internal_value(self, data: Any) -> Any:
        unknown = {}
        if isinstance(data, Mapping):
            unknown = {
                str(name): [gettext("Unknown field.")] for name in data if name not in self.fields
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**unknown, **error.detail}) from error
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def sent(serializer: serializers.Serializer, *exclude: str) -> dict[str, Any]:
    """Only the fields the request names (form data would add empty values)."""
    return {
        name: value
        for name, value in serializer.validated_data.items()
        if name in serializer.initial_data and name not in exclude
    }
