"""What every talent API view shares: the visible-id field (the base viewset, the error
answers and the fields a request sent are `ssb_portal.api`'s)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ssb_portal.ids import MAX_ID


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
