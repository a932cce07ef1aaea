"""The hand-written SQL that bench/alliance_matching.py holds the matching against (issue 17).

One statement per demand, written as a person would who knows the schema and the score: the
hard filters on the indexed columns (verified products of the category or its children,
each threshold, the certificates' holders as semi-joins on (scheme, valid_until,
enterprise)), the score of each candidate in narrow rows, a window keeping each
enterprise's best product, LIMIT, and only then the names and figures of the kept rows.

The arithmetic is alliance.matching's, in the same order of IEEE double operations as
alliance.selectors, so the totals agree to the tenth: the bench checks that both return the
same enterprises, products and totals before it times them. Constants are bound as doubles
(psycopg sends Python floats as float8), the way PostgreSQL and SQLite both compute them.
The portal's modules are imported inside the functions: this module is imported before
benchkit.django_setup puts the project on the import path.
"""


class Statement:
    """SQL text with its parameters."""

    def __init__(self, vendor: str) -> None:
        # Named, so that a fragment may be built before the text around it.
        self.params: dict = {}
        sqlite = vendor == "sqlite"
        # SQLite's scalar MAX/MIN are PostgreSQL's GREATEST/LEAST.
        self.greatest, self.least = ("MAX", "MIN") if sqlite else ("GREATEST", "LEAST")

    def bind(self, value) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f"%({name})s"


def _spec_tenths(statement: Statement, thresholds: list) -> str:
    from alliance import matching

    bind, greatest, least = statement.bind, statement.greatest, statement.least
    if not thresholds:
        return bind(float(matching.tenths(matching.SPEC_POINTS * matching.UNKNOWN_SHARE)))
    share_each = matching.SPEC_POINTS / len(thresholds)
    terms = []
    for threshold in thresholds:
        column = f"p.{threshold.field}"
        if threshold.value == 0:
            margin = bind(float(matching.FULL_MARGIN))
        elif threshold.lookup == "gte":
            margin = f"(({column} - {bind(threshold.value)}) / {bind(threshold.value)})"
        else:
            margin = f"(({bind(threshold.value)} - {column}) / {bind(threshold.value)})"
        beat = f"{greatest}({bind(0.0)}, {margin})"
        full = f"{least}({beat} / {bind(matching.FULL_MARGIN)}, {bind(1.0)})"
        terms.append(f"({bind(share_each)} * ({bind(0.5)} + {bind(0.5)} * {full}))")
    return f"FLOOR(({' + '.join(terms)}) * {bind(10.0)} + {bind(0.5)})"


def _firm_tenths(statement: Statement, demand) -> str:
    """The enterprise's parts: capacity, local, recommended, track record, responsiveness."""
    from alliance import matching

    bind, least = statement.bind, statement.least
    unknown_capacity = float(matching.tenths(matching.CAPACITY_POINTS * matching.UNKNOWN_SHARE))
    volume = float(demand.annual_volume) if demand.annual_volume is not None else None
    if volume and demand.volume_unit:
        ratio = f"CAST(e.annual_capacity AS DOUBLE PRECISION) / {bind(volume)}"
        capacity = (
            f"CASE WHEN e.annual_capacity > 0 AND e.capacity_unit = {bind(demand.volume_unit)} "
            f"THEN FLOOR({bind(float(matching.CAPACITY_POINTS))} * {least}({ratio}, "
            f"{bind(1.0)}) * {bind(10.0)} + {bind(0.5)}) "
            f"ELSE {bind(unknown_capacity)} END"
        )
    else:
        capacity = bind(unknown_capacity)
    local = f"CASE WHEN d.is_local THEN {bind(matching.LOCAL_POINTS * 10.0)} ELSE 0 END"
    recommended = (
        f"CASE WHEN e.recommended THEN {bind(matching.RECOMMENDED_POINTS * 10.0)} ELSE 0 END"
    )
    track = (
        f"{least}({bind(matching.TRACK_RECORD_POINTS * 10.0)}, "
        f"{bind(matching.POINTS_PER_COMPLETED_COLLABORATION * 10.0)} * m.completed_collaborations)"
    )
    bands = " ".join(
        f"WHEN m.median_answer_hours <= {bind(float(limit))} "
        f"THEN {bind(float(matching.tenths(matching.RESPONSIVENESS_POINTS * share)))}"
        for limit, share in matching.RESPONSE_BANDS
    )
    unknown_answer = float(matching.tenths(matching.responsiveness_points(None).points))
    slow = float(matching.tenths(matching.RESPONSIVENESS_POINTS * matching.SLOW_RESPONSE_SHARE))
    responsiveness = (
        f"CASE WHEN m.median_answer_hours IS NULL THEN {bind(unknown_answer)} {bands} "
        f"ELSE {bind(slow)} END"
    )
    return f"({capacity} + {local} + {recommended} + {track} + {responsiveness})"


def ranking_sql(demand, vendor: str, today, limit: int) -> tuple[str, dict]:
    """The demand's best `limit` candidates: (product id, enterprise id, total in tenths,
    then the figures alliance.matching explains the score from)."""
    from alliance.selectors import demand_thresholds
    from directory.models import THRESHOLD_SPECS

    thresholds = demand_thresholds(demand)
    statement = Statement(vendor)
    bind = statement.bind
    spec = _spec_tenths(statement, thresholds)
    firm = _firm_tenths(statement, demand)
    conditions = [
        "p.status = 'verified'",
        "p.category_id IN (SELECT c.id FROM directory_supplycategory c "
        f"WHERE c.id = {bind(demand.category_id)} OR c.parent_id = {bind(demand.category_id)})",
        f"p.enterprise_id <> {bind(demand.owner_id)}",
        "e.status = 'verified'",
        "e.kind = 'sme'",
        "m.status = 'approved'",
    ]
    for threshold in thresholds:
        operator = ">=" if threshold.lookup == "gte" else "<="
        conditions.append(f"p.{threshold.field} {operator} {bind(threshold.value)}")
    for scheme in demand.required_certifications:
        conditions.append(
            "p.enterprise_id IN (SELECT h.enterprise_id FROM directory_certification h "
            f"WHERE h.scheme = {bind(scheme)} AND h.valid_until >= {bind(today)})"
        )
    spec_columns = "".join(f", p.{name}" for name in THRESHOLD_SPECS)
    sql = f"""
        SELECT p.id, p.enterprise_id, top.total, p.name, e.uscc, e.name_zh, e.name_en,
               e.annual_capacity, e.capacity_unit, e.recommended, d.is_local,
               m.completed_collaborations, m.median_answer_hours{spec_columns}
        FROM (
            SELECT id, enterprise_id, total FROM (
                SELECT id, enterprise_id, spec + firm AS total,
                       ROW_NUMBER() OVER (
                           PARTITION BY enterprise_id ORDER BY spec DESC, id
                       ) AS nth
                FROM (
                    SELECT p.id, p.enterprise_id, {spec} AS spec, {firm} AS firm
                    FROM directory_product p
                    JOIN directory_enterprise e ON e.id = p.enterprise_id
                    JOIN alliance_alliancemember m ON m.enterprise_id = p.enterprise_id
                    JOIN directory_district d ON d.id = e.district_id
                    WHERE {" AND ".join(conditions)}
                ) candidates
            ) numbered
            WHERE nth = 1
            ORDER BY total DESC, enterprise_id
            LIMIT {bind(limit)}
        ) top
        JOIN directory_product p ON p.id = top.id
        JOIN directory_enterprise e ON e.id = top.enterprise_id
        JOIN alliance_alliancemember m ON m.enterprise_id = top.enterprise_id
        JOIN directory_district d ON d.id = e.district_id
        ORDER BY top.total DESC, top.enterprise_id
    """
    return sql, statement.params
