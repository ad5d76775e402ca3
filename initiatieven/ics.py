"""An .ics calendar file for one meeting (RFC 5545, time zone Europe/Amsterdam)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from initiatieven.models import Bijeenkomst

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MEETING_LENGTH = timedelta(hours=1, minutes=30)


def bijeenkomst_ics(*, bijeenkomst: Bijeenkomst, url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Buurtwijs//Initiatieven//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    start = bijeenkomst.starts_at.astimezone(AMSTERDAM).replace(microsecond=0)
    event.add("uid", bijeenkomst.uid)
    event.add("dtstamp", bijeenkomst.created_at)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"Bijeenkomst: {bijeenkomst.initiatief.title}")
    event.add("location", bijeenkomst.place)
    if bijeenkomst.agenda:
        event.add("description", bijeenkomst.agenda)
    event.add("url", url)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
