"""Times as a messenger shows them: relative to "now" from the app's clock, in local time."""

from __future__ import annotations

from datetime import datetime, timedelta

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo else moment


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


def window_text(is_open: bool, closes_at: datetime | None) -> str:
    """The customer service window as the header states it."""
    if is_open and closes_at is not None:
        return f"Window open until {clock_time(closes_at)}"
    if is_open:
        return "Window open"
    return "Window closed — only you can reopen it by writing"


__all__ = ["clock_time", "day_label", "list_time", "same_day", "timedelta", "window_text"]
