"""Publication dates from whatever a record, page or feed carries, as timezone-aware datetimes."""

from __future__ import annotations

import warnings
from datetime import datetime, timezone
from typing import Any


# Dates

_DEFAULT_DATE = datetime(2000, 1, 1)  # fills missing parts, so "2024" means 2024-01-01, not today
# Zone abbreviations common in English-language news datelines (dateutil knows only UTC/GMT).
_H = 3600
_TZINFOS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": _H, "CET": _H, "CEST": 2 * _H, "EET": 2 * _H, "EEST": 3 * _H,
    "MSK": 3 * _H, "EST": -5 * _H, "EDT": -4 * _H, "CST": -6 * _H, "CDT": -5 * _H, "MST": -7 * _H,
    "MDT": -6 * _H, "PST": -8 * _H, "PDT": -7 * _H, "AEST": 10 * _H, "AEDT": 11 * _H, "JST": 9 * _H,
}


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime (UTC when none is given), or None when the value is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds are common in JSON
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    else:
        from dateutil import parser as date_parser

        text = str(value).strip()
        if not text:
            return None
        try:
            with warnings.catch_warnings():  # unknown zone names: the date still counts, as UTC
                warnings.simplefilter("ignore")
                dt = date_parser.parse(text, default=_DEFAULT_DATE, tzinfos=_TZINFOS)
        except (ValueError, OverflowError, TypeError):
            return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    # A fixed offset, never tzlocal(): dateutil returns the machine's zone when the text says "UTC"
    # and the machine runs in UTC, which would shift the date on a machine elsewhere.
    try:
        offset = dt.utcoffset()
        return dt.replace(tzinfo=timezone.utc if not offset else timezone(offset))
    except (ValueError, OverflowError):
        return None



def day_bound(value: str | None, end: bool = False) -> int | None:
    """Seconds since the epoch for a user's YYYY-MM-DD (or full ISO 8601) bound; a bare date means
    the whole day: its first moment, or its last when `end`. Empty means no bound."""
    from datetime import time as dtime

    value = (value or "").strip()
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"dates are YYYY-MM-DD (ISO 8601); got {value!r}") from None
    if len(value) <= 10:
        d = datetime.combine(d.date(), dtime.max if end else dtime.min)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return int(d.timestamp())
