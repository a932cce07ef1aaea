"""The API schema tells the truth: what every answer may be, in one place.

- `AutoSchema` (REST framework's DEFAULT_SCHEMA_CLASS): a read-only choice or e-mail/URL field
  whose model field may be blank shows the empty string it answers with.
- `document_error_answers` (a drf-spectacular postprocessing hook, SPECTACULAR_SETTINGS):
  every operation may answer 401, 403, 404 and 429 with `{"detail": …}`; every operation that
  takes a body or query parameters may answer 400 with REST framework's field errors or, for a
  body it cannot parse, `{"detail": …}`, besides the row errors an import documents itself.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"

ERROR_HELP = _("Why the request was refused.")
FIELD_ERRORS_HELP = _(
    "Per field sent (or non_field_errors for the request as a whole): what is wrong, as a list "
    "of messages, or per item or nested field the same again. Nothing was saved."
)
INVALID_HELP = _("Invalid data; the errors are listed under each field.")
# Every answer any operation may give, whatever it declares.
ANY_OPERATION = {
    "401": _("Not signed in, or the token or session is not valid."),
    "403": _("You may not do this."),
    "404": _("No such record, or not yours to see (or no such page of a list)."),
    "429": _("Too many requests; the message says when to try again."),
}


def error_schema() -> dict[str, Any]:
    """REST framework's answer to a refused request: {"detail": "…"}."""
    return {
        "type": "object",
        "description": gettext(ERROR_HELP),
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }


def field_errors_schema() -> dict[str, Any]:
    """REST framework's answer to invalid data: messages per field, nested as the data is."""
    return {
        "type": "object",
        "description": gettext(FIELD_ERRORS_HELP),
        "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    }


def _model_field(field: serializers.Field) -> models.Field | None:
    """The model field a serializer field reads, following a dotted source through relations."""
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not getattr(field, "source_attrs", None):
        return None
    model_field = None
    for attribute in field.source_attrs:
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(attribute)
        except FieldDoesNotExist:
            return None
        model = model_field.related_model
    return model_field if isinstance(model_field, models.Field) else None


def _may_be_blank(field: serializers.Field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    model_field = _model_field(field) if field.read_only else None
    return bool(model_field is not None and model_field.blank and model_field.empty_strings_allowed)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, where a read-only field keeps its model field's blank."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _may_be_blank(field)
        ):
            # REST framework drops allow_blank from read-only model fields; the answer keeps "".
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            field_schema = properties.get(name, {})
            if (
                isinstance(field, serializers.EmailField | serializers.URLField)
                and "format" in field_schema
                and _may_be_blank(field)
            ):
                # "" is no e-mail address or URL: the value is either one or empty.
                field_schema["anyOf"] = [{"format": field_schema.pop("format")}, {"maxLength": 0}]
        return schema


def _takes_input(operation: dict[str, Any]) -> bool:
    return "requestBody" in operation or any(
        parameter.get("in") == "query" for parameter in operation.get("parameters", [])
    )


def _with_content(response: dict[str, Any], component: str) -> None:
    content = response.setdefault("content", {})
    media = content.setdefault("application/json", {})
    media.setdefault("schema", {"$ref": f"#/components/schemas/{component}"})


def document_error_answers(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Postprocessing hook: document the error answers every operation may give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR] = error_schema()
    schemas[FIELD_ERRORS] = field_errors_schema()
    field_errors = {"$ref": f"#/components/schemas/{FIELD_ERRORS}"}
    error = {"$ref": f"#/components/schemas/{ERROR}"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, description in ANY_OPERATION.items():
                answer = responses.setdefault(status, {})
                answer["description"] = answer.get("description") or gettext(description)
                _with_content(answer, ERROR)
            invalid = responses.get("400")
            if invalid is None:
                if not _takes_input(operation):
                    continue
                # Every body and every filter is validated: a wrong value answers 400.
                invalid = responses["400"] = {"description": gettext(INVALID_HELP)}
            media = invalid.setdefault("content", {}).setdefault("application/json", {})
            documented = media.get("schema")
            # An endpoint's own error body (an import's rows), REST framework's field errors,
            # or {"detail": …} for a body that cannot be parsed.
            choices = [documented] if documented and documented not in (field_errors, error) else []
            media["schema"] = {"anyOf": [*choices, field_errors, error]}
        for operation in path_item.values():
            _errors_in_every_format(operation["responses"])
    return result


def _errors_in_every_format(responses: dict[str, Any]) -> None:
    # An error is rendered in the format the client asked for (?format=ics, Accept): JSON
    # text, sent as that media type. A success in another format than JSON makes every error
    # of the operation possible in that format too.
    formats = {
        media_type
        for status, answer in responses.items()
        if status.startswith("2")
        for media_type in answer.get("content", {})
        if media_type != "application/json"
    }
    for status, answer in responses.items():
        if status.startswith("4"):
            for media_type in formats:
                answer["content"].setdefault(media_type, {"schema": {"type": "string"}})
