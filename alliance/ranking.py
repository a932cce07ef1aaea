"""The matching's ranking in SQL: the hard filters, the score of alliance.matching in tenths of
a point, each enterprise's best product and the list cut in the database (issue 5), and the
statement compiled once per demand shape (issue 17).

Building the ranking with the ORM costs more than running it on a small directory (some
forty expressions resolved and compiled, 20-30 ms on every call). The statement depends on
the demand's *shape* only (which thresholds, whether one is zero, how many certificates,
whether a volume is given, the limit); the demand's figures are parameters. So
`match_rows` compiles the statement once per shape with a `Slot` where each figure goes,
keeps the SQL text, and binds the figures of each demand to it: the same statement the
ORM builds, run with the same parameters, without building it again.
`match_rows(..., compiled=False)` builds it every time (tests compare the two).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    DateField,
    Expression,
    F,
    Field,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Floor, Greatest, Least, RowNumber
from django.utils import timezone

from alliance import matching
from alliance.models import DEMAND_THRESHOLDS, Demand, MemberStatus
from directory.models import (
    Certification,
    EnterpriseKind,
    ListingStatus,
    Product,
    SupplyCategory,
)
from directory.passport.thresholds import PASSPORT_THRESHOLDS

#: Matches shown for a demand.
MATCH_LIMIT = 50

#: The figures the matching lists of each kept product besides its specs.
MATCH_FIELDS = (
    "pk",
    "name",
    "enterprise_id",
    "enterprise__uscc",
    "enterprise__name_zh",
    "enterprise__name_en",
    "enterprise__annual_capacity",
    "enterprise__capacity_unit",
    "enterprise__recommended",
    "enterprise__district__is_local",
    "enterprise__alliance_membership__completed_collaborations",
    "enterprise__alliance_membership__median_answer_hours",
)


def demand_thresholds(demand: Demand) -> list[matching.Threshold]:
    """The demand's thresholds that are set, as the matching score reads them."""
    return [
        matching.Threshold(field, lookup, getattr(demand, name))
        for name, (field, lookup) in DEMAND_THRESHOLDS.items()
        if getattr(demand, name) is not None
    ]


# --- the demand's figures, as values or as parameters of a compiled statement ----------------


class Slot(Expression):
    """Where one of the demand's figures goes in a statement compiled once per shape: it
    compiles to a placeholder whose parameter is the slot itself, replaced by the figure (as
    its field prepares it for the database, as a lookup would) when the statement runs."""

    def __init__(self, key: str, output_field: Field) -> None:
        super().__init__(output_field=output_field)
        self.key = key

    def resolve_expression(self, *args, **kwargs) -> "Slot":
        return self

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "%s", [self]

    def prepare(self, value: Any, connection) -> Any:
        return self.output_field.get_db_prep_value(value, connection, prepared=False)


#: The field that prepares each kind of figure (the column it is compared with).
_FIELDS = {
    "category": IntegerField(),
    "owner": IntegerField(),
    "threshold": FloatField(),
    "scheme": CharField(),
    "today": DateField(),
    "volume": FloatField(),
    "unit": CharField(),
}


def demand_figures(demand: Demand, today: datetime.date) -> dict[str, Any]:
    """Every figure of the demand the statement reads, by slot key."""
    figures: dict[str, Any] = {
        "category": demand.category_id,
        "owner": demand.owner_id,
        "today": today,
        "volume": float(demand.annual_volume) if demand.annual_volume is not None else None,
        "unit": demand.volume_unit,
    }
    for index, threshold in enumerate(demand_thresholds(demand)):
        figures[f"threshold{index}"] = threshold.value
    for index, scheme in enumerate(demand.required_certifications):
        figures[f"scheme{index}"] = scheme
    figures.update(demand_passport_thresholds(demand))
    return figures


def demand_passport_thresholds(demand: Demand) -> dict[str, Any]:
    """The demand's battery-passport thresholds that are set, by their field's name: hard
    filters on each product's current passport version, not part of the score."""
    return {
        name: getattr(demand, name)
        for name in PASSPORT_THRESHOLDS
        if getattr(demand, name) is not None
    }


#: Gives the statement a figure by its key: the value itself, or a Slot for it.
Bind = Callable[[str], Any]


def _values_of(figures: dict[str, Any]) -> Bind:
    return figures.__getitem__


def _slot(key: str) -> Slot:
    if key in PASSPORT_THRESHOLDS:
        # Prepared as the demand keeps it (a decimal), like the lookup on the version's column.
        return Slot(key, Demand._meta.get_field(key))
    return Slot(key, _FIELDS[key.rstrip("0123456789")])


# --- the hard filters -------------------------------------------------------------------------


def qualifying_products(demand: Demand, bind: Bind | None = None) -> QuerySet[Product]:
    """Hard filters: verified products, in the demand's category (or a child), meeting every
    threshold, of verified SMEs that are approved alliance members (only they can be invited)
    and hold every required certification valid today."""
    bind = bind or _values_of(demand_figures(demand, timezone.localdate()))
    # A subquery, not a second round trip: the demand's category or one of its children.
    category_ids = SupplyCategory.objects.filter(
        Q(pk=bind("category")) | Q(parent_id=bind("category"))
    ).values("pk")
    lookups = {
        f"{threshold.field}__{threshold.lookup}": bind(f"threshold{index}")
        for index, threshold in enumerate(demand_thresholds(demand))
    }
    lookups |= {
        f"{field}__{lookup}": bind(name)
        for name, (field, lookup) in PASSPORT_THRESHOLDS.items()
        if getattr(demand, name) is not None
    }
    products = Product.objects.filter(
        status=ListingStatus.VERIFIED,
        category_id__in=category_ids,
        enterprise__status=ListingStatus.VERIFIED,
        enterprise__kind=EnterpriseKind.SME,
        enterprise__alliance_membership__status=MemberStatus.APPROVED,
        **lookups,
    ).exclude(enterprise_id=bind("owner"))
    for index in range(len(demand.required_certifications)):
        # A semi-join on the scheme's holders, not a correlated EXISTS: the index (scheme,
        # valid_until, enterprise) yields them once, where SQLite probed it per candidate.
        holders = Certification.objects.filter(
            scheme=bind(f"scheme{index}"), valid_until__gte=bind("today")
        )
        products = products.filter(enterprise_id__in=holders.values("enterprise_id"))
    # Without this the model's default ordering makes the database sort every candidate.
    return products.order_by()


# --- the score in SQL -------------------------------------------------------------------------
# The score of alliance.matching in SQL, in tenths of a point, so that the database ranks the
# whole directory and returns only the list. Each expression repeats the pure module's
# floating-point operations in the same order (IEEE doubles on PostgreSQL, SQLite and in
# Python alike), so the totals agree exactly; the constant parts come from the module itself.


class _Double(Value):
    """A constant (or a Slot) as a double, also on PostgreSQL (where a bare 0.5 is an exact
    numeric and would make constant-only arithmetic decimal instead of binary). One leaf that
    resolves to itself: the score holds some forty constants, and resolving a Cast of a Value
    for each was most of the time Django spent building the ranking."""

    def __init__(self, number: float | Slot) -> None:
        value = number if isinstance(number, Slot) else float(number)
        super().__init__(value, output_field=FloatField())

    def resolve_expression(self, *args, **kwargs) -> "_Double":
        return self

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "CAST(%s AS DOUBLE PRECISION)", [self.value]


def _tenths_sql(points) -> Floor:
    """matching.tenths: FLOOR(points * 10 + 0.5)."""
    return Floor(points * _Double(10) + _Double(0.5), output_field=FloatField())


def _spec_tenths_sql(thresholds: list[matching.Threshold], bind: Bind):
    """matching.spec_points of each product."""
    if not thresholds:
        return _Double(matching.tenths(matching.SPEC_POINTS * matching.UNKNOWN_SHARE))
    share_each = _Double(matching.SPEC_POINTS / len(thresholds))
    points = None
    for index, threshold in enumerate(thresholds):
        # Zero or not is part of the demand's shape (see _shape).
        if threshold.value == 0:
            margin = _Double(matching.FULL_MARGIN)
        else:
            value = _Double(bind(f"threshold{index}"))
            if threshold.lookup == "gte":
                margin = (F(threshold.field) - value) / value
            else:
                margin = (value - F(threshold.field)) / value
        beat = Greatest(_Double(0), margin, output_field=FloatField())
        full = Least(beat / _Double(matching.FULL_MARGIN), _Double(1), output_field=FloatField())
        earned = share_each * (_Double(0.5) + _Double(0.5) * full)
        points = earned if points is None else points + earned
    return _tenths_sql(points)


def _capacity_tenths_sql(demand: Demand, bind: Bind):
    """matching.capacity_points of each candidate enterprise."""
    unknown = _Double(matching.tenths(matching.CAPACITY_POINTS * matching.UNKNOWN_SHARE))
    # Whether a volume counts is part of the demand's shape (see _shape).
    if not (demand.annual_volume and demand.volume_unit):
        return unknown
    ratio = Cast("enterprise__annual_capacity", FloatField()) / _Double(bind("volume"))
    return Case(
        When(
            Q(enterprise__annual_capacity__gt=0, enterprise__capacity_unit=bind("unit")),
            then=_tenths_sql(
                _Double(matching.CAPACITY_POINTS)
                * Least(ratio, _Double(1), output_field=FloatField())
            ),
        ),
        default=unknown,
        output_field=FloatField(),
    )


def _all_or_nothing_tenths_sql(lookup: str, points: int) -> Case:
    return Case(
        When(**{lookup: True}, then=_Double(points * 10)),
        default=_Double(0),
        output_field=FloatField(),
    )


def _track_record_tenths_sql() -> Least:
    completed = F("enterprise__alliance_membership__completed_collaborations")
    return Least(
        _Double(matching.TRACK_RECORD_POINTS * 10),
        _Double(matching.POINTS_PER_COMPLETED_COLLABORATION * 10) * completed,
        output_field=FloatField(),
    )


def _responsiveness_tenths_sql() -> Case:
    median = "enterprise__alliance_membership__median_answer_hours"
    return Case(
        When(
            **{f"{median}__isnull": True},
            then=_Double(matching.tenths(matching.responsiveness_points(None).points)),
        ),
        *(
            When(**{f"{median}__lte": limit}, then=_Double(matching.tenths(points)))
            for limit, points in (
                (limit, matching.RESPONSIVENESS_POINTS * share)
                for limit, share in matching.RESPONSE_BANDS
            )
        ),
        default=_Double(
            matching.tenths(matching.RESPONSIVENESS_POINTS * matching.SLOW_RESPONSE_SHARE)
        ),
        output_field=FloatField(),
    )


def _score_tenths_sql(demand: Demand, bind: Bind) -> dict[str, Any]:
    """`spec_tenths` of a product and `total_tenths` with its enterprise's parts: the score
    in tenths of a point, as annotations of a product queryset."""
    spec = _spec_tenths_sql(demand_thresholds(demand), bind)
    return {
        "spec_tenths": spec,
        "total_tenths": spec
        + _capacity_tenths_sql(demand, bind)
        + _all_or_nothing_tenths_sql("enterprise__district__is_local", matching.LOCAL_POINTS)
        + _all_or_nothing_tenths_sql("enterprise__recommended", matching.RECOMMENDED_POINTS)
        + _track_record_tenths_sql()
        + _responsiveness_tenths_sql(),
    }


#: The ranking's order: best score first, ties by the enterprise's id (the earlier listed).
RANKING = (F("total_tenths").desc(), F("enterprise_id").asc())


def ranked_candidates(
    demand: Demand, *, limit: int = MATCH_LIMIT, bind: Bind | None = None
) -> QuerySet[Product]:
    """The best product of each qualifying enterprise (highest spec points, then the lowest
    id), ranked by the whole score (RANKING) and cut to `limit`, in one statement that reads
    the candidates once.

    The enterprise's parts are the same for each of its products, so the product with the
    best spec points carries the enterprise's best total: a window numbers each enterprise's
    products in that order, the first of each is kept, and the database sorts those and
    returns only the `limit` best (LIMIT in SQL). The filters and joins are planned once;
    grouping the candidates first and reading the kept enterprises' products again (issue
    5) planned them twice, and planning cost more than running at 10,000 firms."""
    bind = bind or _values_of(demand_figures(demand, timezone.localdate()))
    return (
        qualifying_products(demand, bind)
        .annotate(**_score_tenths_sql(demand, bind))
        .annotate(
            best=Window(
                RowNumber(),
                partition_by=[F("enterprise_id")],
                order_by=[F("spec_tenths").desc(), F("pk").asc()],
            )
        )
        .filter(best=1)
        .order_by(*RANKING)[:limit]
    )


def _kept_rows(demand: Demand, limit: int, bind: Bind) -> QuerySet[Product]:
    """The names and figures of the kept products (MATCH_FIELDS and the thresholds' specs).
    The ranking selects only ids and scores, so that the rows it sorts for its window stay
    narrow (wide rows of every candidate spill the sort to disk on a large directory); the
    names and figures are read for the kept rows only. No ORDER BY: demand_matches puts the
    rows in RANKING's order by the explained totals."""
    kept = ranked_candidates(demand, limit=limit, bind=bind).values("pk")
    spec_fields = sorted({t.field for t in demand_thresholds(demand)})
    return Product.objects.filter(pk__in=kept).order_by().values(*MATCH_FIELDS, *spec_fields)


# --- compiled once per shape ------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # constants, and a Slot for each of the demand's figures
    names: tuple[str, ...]
    # Column -> (converters, expression), as Django applies them to values() rows. They are
    # the backend's and the fields' pure functions (booleans and decimals on SQLite), so one
    # list serves every connection of the alias.
    converters: dict[int, tuple[list, Any]]


def _shape(demand: Demand, limit: int) -> tuple:
    """What the statement's text depends on; everything else is a parameter."""
    return (
        tuple((t.field, t.lookup, t.value == 0) for t in demand_thresholds(demand)),
        len(demand.required_certifications),
        tuple(demand_passport_thresholds(demand)),
        bool(demand.annual_volume and demand.volume_unit),
        limit,
    )


#: Statements compiled, by (database alias, shape). Shapes are few (which thresholds, how
#: many certificates, a volume or not, the limit); the bound only guards against a flood.
_STATEMENTS: dict[tuple, _Compiled] = {}
_MOST_STATEMENTS = 512


def _statement(alias: str, demand: Demand, limit: int) -> _Compiled:
    """The statement of the demand's shape, compiled on its first use."""
    key = (alias, _shape(demand, limit))
    statement = _STATEMENTS.get(key)
    if statement is None:
        queryset = _kept_rows(demand, limit, _slot)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        query = queryset.query
        statement = _Compiled(
            sql=sql,
            params=tuple(params),
            names=(*query.extra_select, *query.values_select, *query.annotation_select),
            converters=compiler.get_converters(
                [column[0] for column in compiler.select[: compiler.col_count]]
            ),
        )
        if len(_STATEMENTS) >= _MOST_STATEMENTS:
            _STATEMENTS.clear()
        _STATEMENTS[key] = statement
    return statement


def match_rows(
    demand: Demand, *, limit: int = MATCH_LIMIT, compiled: bool = True, using: str = "default"
) -> list[dict[str, Any]]:
    """The kept products' figures (MATCH_FIELDS and the thresholds' specs), one dict each, in
    no particular order: from the statement compiled for the demand's shape, or, with
    `compiled=False`, from the statement built for this demand."""
    figures = demand_figures(demand, timezone.localdate())
    if not compiled:
        return list(_kept_rows(demand, limit, _values_of(figures)).using(using))
    connection = connections[using]
    statement = _statement(using, demand, limit)
    params = [
        value.prepare(figures[value.key], connection) if isinstance(value, Slot) else value
        for value in statement.params
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        rows = cursor.fetchall()
    converted = []
    for row in rows:
        values = list(row)
        for column, (converters, expression) in statement.converters.items():
            for converter in converters:
                values[column] = converter(values[column], expression, connection)
        converted.append(dict(zip(statement.names, values, strict=True)))
    return converted
