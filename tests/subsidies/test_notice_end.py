"""A public notice ends at the end of its last day, never on a weekend (issue 18): not at
the clock time it happened to be published."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from subsidies.services.notices_and_objections import notice_end

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: str, hour: int) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("published", "days", "last_day"),
    [
        # Published on Monday 2026-12-07 at 15:00 for 7 days: ends Monday 14 at 23:59:59.
        (_at("2026-12-07", 15), 7, "2026-12-14"),
        # Published on Monday for 5 days: day 5 is Saturday, so the notice runs to Monday.
        (_at("2026-12-07", 9), 5, "2026-12-14"),
        # ... and day 6, Sunday, to Monday too.
        (_at("2026-12-07", 9), 6, "2026-12-14"),
        # Published late at night UTC but already the next day in Shanghai: counted from there.
        (datetime.datetime(2026, 12, 7, 17, 30, tzinfo=datetime.UTC), 1, "2026-12-09"),
    ],
)
def test_the_notice_ends_at_the_end_of_its_last_working_day(published, days, last_day):
    end = notice_end(published, days).astimezone(SHANGHAI)
    assert end.date().isoformat() == last_day
    assert end.time() == datetime.time.max
    assert end.weekday() < 5
