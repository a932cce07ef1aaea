"""A read-only serializer's output built from `values()` rows: the same JSON, without a model
instance per row or REST framework's per-object walk over its fields.

On a list endpoint that cost dominates (issue 17: a page of 20 enterprises with their
products and certificates spent more in building serializer fields and calling them per
object than in its SQL). Such an endpoint keeps its serializer as the documented shape (the
OpenAPI schema is generated from it) and renders through an `OutputPlan` made once per process
from that serializer: the columns to ask `values()` for, and for each field the conversion REST
framework applies (the serializer's own bound field where the value needs more than `str`,
`int` or `float`). Nested lists (a `many=True` serializer or relation) are left to the caller,
who reads them in one query per relation for the whole page and passes them in by field name.

Only fields whose output depends on nothing but the row are planned; a field that needs the
request or the serializer's context (a method field, a hyperlink, a file URL) is refused when
the plan is made, so a plan is never silently different from its serializer.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from rest_framework import fields as drf_fields
from rest_framework import relations, serializers

# Conversions REST framework applies to these exact field classes (`to_representation`).
_PLAIN = {
    drf_fields.CharField: str,
    drf_fields.EmailField: str,
    drf_fields.URLField: str,
    drf_fields.SlugField: str,
    drf_fields.IntegerField: int,
    drf_fields.FloatField: float,
}
# Field classes whose own `to_representation` is called, bound once: their output depends on
# the value alone (and, for times, on the active time zone, read at each call).
_BOUND = (
    drf_fields.BooleanField,
    drf_fields.ChoiceField,
    drf_fields.DecimalField,
    drf_fields.DateField,
    drf_fields.DateTimeField,
)


@dataclass(frozen=True)
class _Step:
    name: str
    column: str | None  # None: a nested list the caller attaches
    convert: Callable[[Any], Any] | None


class OutputPlan:
    """How to render one serializer's output from a `values()` row."""

    def __init__(self, serializer_class: type[serializers.Serializer]):
        self.serializer_class = serializer_class
        # One instance, kept for the life of the process: its bound fields do the conversions.
        self._serializer = serializer_class()
        steps = []
        for field in self._serializer._readable_fields:
            steps.append(self._step(field))
        self.steps = tuple(steps)
        self.columns = tuple(step.column for step in self.steps if step.column is not None)
        self.attached = tuple(step.name for step in self.steps if step.column is None)

    @classmethod
    @cache
    def of(cls, serializer_class: type[serializers.Serializer]) -> "OutputPlan":
        return cls(serializer_class)

    def _step(self, field: drf_fields.Field) -> _Step:
        name = field.field_name
        if isinstance(field, serializers.ListSerializer | relations.ManyRelatedField):
            return _Step(name, None, None)
        if field.source == "*" or isinstance(
            field, serializers.BaseSerializer | drf_fields.SerializerMethodField
        ):
            raise TypeError(f"{self.serializer_class.__name__}.{name} cannot be planned")
        column = "__".join(field.source_attrs)
        if type(field) is relations.SlugRelatedField:
            return _Step(name, f"{column}__{field.slug_field}", None)
        if type(field) in _PLAIN:
            return _Step(name, column, _PLAIN[type(field)])
        if isinstance(field, _BOUND) and not isinstance(field, relations.RelatedField):
            return _Step(name, column, field.to_representation)
        raise TypeError(
            f"{self.serializer_class.__name__}.{name} ({type(field).__name__}) cannot be planned"
        )

    def render(self, row: Mapping[str, Any], attached: Mapping[str, Any] | None = None) -> dict:
        """The serializer's output for `row` (a `values(*self.columns)` row); each nested list
        by its field name in `attached`."""
        output = {}
        for step in self.steps:
            if step.column is None:
                output[step.name] = attached[step.name]  # type: ignore[index]
                continue
            value = row[step.column]
            # As REST framework: a missing value is null, never passed to the field.
            output[step.name] = (
                value if value is None or step.convert is None else step.convert(value)
            )
        return output
