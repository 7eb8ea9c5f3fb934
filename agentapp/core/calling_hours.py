"""Calling hours: whether "now" is inside the window agents may call customers in.

Indian telemarketing rules restrict calling hours; the window is a setting
(default 09:00-21:00, local time) and may cross midnight for night shifts.
"""

from __future__ import annotations

from datetime import datetime, time

DEFAULT_START = time(9, 0)
DEFAULT_END = time(21, 0)


def is_within(now: datetime, start: time = DEFAULT_START, end: time = DEFAULT_END) -> bool:
    """True when ``now``'s wall-clock time is in ``[start, end)``.

    ``start > end`` means the window crosses midnight (22:00-06:00);
    ``start == end`` means no restriction (the whole day).
    """
    current = now.time().replace(tzinfo=None)
    if start == end:
        return True
    if start < end:
        return start <= current < end
    return current >= start or current < end
