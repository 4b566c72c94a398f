"""Times as a messenger shows them: relative to "now" from the app's clock, in local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo else moment


def local_day(moment: datetime) -> date:
    """The day `moment` falls on here."""
    return _local(moment).date()


def clock_time(moment: datetime) -> str:
    """HH:MM, the time under a bubble."""
    return _local(moment).strftime("%H:%M")


def list_time(moment: datetime | None, now: datetime) -> str:
    """Chat-list time: today HH:MM, within the last week the weekday (short), else the date."""
    if moment is None:
        return ""
    local, today = _local(moment), _local(now).date()
    days = (today - local.date()).days
    if days <= 0:
        return local.strftime("%H:%M")
    if days == 1:
        return "Yesterday"
    if days < 7:
        return _WEEKDAYS[local.weekday()][:3]
    return local.strftime("%d.%m.%y")


def day_label(moment: datetime, now: datetime) -> str:
    """Date separator: Today, Yesterday, the weekday within a week, else the full date."""
    local, today = _local(moment), _local(now).date()
    days = (today - local.date()).days
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if days < 7:
        return _WEEKDAYS[local.weekday()]
    return local.strftime("%d %B %Y")


def same_day(a: datetime, b: datetime) -> bool:
    return _local(a).date() == _local(b).date()


def day_and_time(moment: datetime, now: datetime) -> str:
    """A time ahead with its day: "today 14:05", "tomorrow 09:00", "Tue 14:05", else "12 Jan 14:05"."""
    local, today = _local(moment), _local(now).date()
    days = (local.date() - today).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if 1 < days < 7:
        return f"{_WEEKDAYS[local.weekday()][:3]} {clock}"
    return (
        f"{local.day} {local:%b %Y} {clock}"
        if local.year != today.year
        else f"{local.day} {local:%b} {clock}"
    )


def window_text(is_open: bool, closes_at: datetime | None, now: datetime | None = None) -> str:
    """The customer service window as the header states it, with the day it closes."""
    if is_open and closes_at is not None:
        moment = now if now is not None else datetime.now(closes_at.tzinfo)
        return f"Window open until {day_and_time(closes_at, moment)}"
    if is_open:
        return "Window open"
    return "Window closed — only you can reopen it by writing"


__all__ = ["clock_time", "day_and_time", "day_label", "list_time", "same_day", "timedelta", "window_text"]
