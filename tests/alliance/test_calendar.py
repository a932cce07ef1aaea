"""An accepted meeting downloads as a calendar file any calendar reads."""

import datetime

from alliance.calendar import meeting_ics

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_the_event_is_in_utc_with_crlf_lines_and_escaped_text():
    text = meeting_ics(
        uid="meeting-7@ssb-portal",
        starts_at=datetime.datetime(2026, 12, 3, 14, 30, tzinfo=SHANGHAI),
        duration_minutes=90,
        summary="Supply of Li6PS5Cl; terms, volumes",
        location="Room 3, Donghu",
        stamp=datetime.datetime(2026, 11, 26, 1, 0, tzinfo=datetime.UTC),
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "DTSTART:20261203T063000Z" in lines
    assert "DTEND:20261203T080000Z" in lines
    assert r"SUMMARY:Supply of Li6PS5Cl\; terms\, volumes" in lines
    assert r"LOCATION:Room 3\, Donghu" in lines


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    text = meeting_ics(
        uid="m@ssb",
        starts_at=datetime.datetime(2026, 12, 3, 6, 0, tzinfo=datetime.UTC),
        duration_minutes=60,
        summary="固态电池硫化物电解质长期供货洽谈" * 4,
        stamp=datetime.datetime(2026, 11, 26, tzinfo=datetime.UTC),
    )
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "固态电池硫化物电解质长期供货洽谈" * 4 in unfolded
