"""An accepted meeting as an iCalendar file (RFC 5545), so both sides can add it to a calendar:
the text of one event, and the file the demand page and the API both answer with."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext

_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > 74:
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def meeting_ics(
    *,
    uid: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    summary: str,
    location: str = "",
    description: str = "",
    stamp: datetime.datetime,
) -> str:
    """One VEVENT in a VCALENDAR, times in UTC, CRLF line ends."""
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SSB Portal//Industry Alliance//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(starts_at)}",
        f"DTEND:{_utc(ends_at)}",
        f"SUMMARY:{_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_text(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def meeting_file(request: HttpRequest, meeting) -> HttpResponse:
    """The accepted meeting's .ics download. The page and the API give the same event (same
    UID), so calendars keep one copy."""
    response = meeting.response
    text = meeting_ics(
        uid=f"alliance-meeting-{meeting.pk}@{request.get_host()}",
        starts_at=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        summary=gettext("Meeting: %(title)s") % {"title": response.demand.title},
        location=meeting.location,
        description=gettext("%(owner)s and %(supplier)s, about the demand “%(title)s”.")
        % {
            "owner": response.demand.owner.name_zh,
            "supplier": response.supplier.name_zh,
            "title": response.demand.title,
        }
        + "\n"
        + request.build_absolute_uri(reverse("alliance:demand", args=[response.demand_id])),
        stamp=meeting.created_at,
    )
    return HttpResponse(
        text,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.pk}.ics"'},
    )
