"""Tolerant readers for single JSON values.

The provider mixes ints and numeric strings, ``200``/``true``/``"200"`` and
several date formats. Each reader accepts the known variations and raises
:class:`MalformedResponseError` for anything else, so no ``KeyError`` or
``TypeError`` can escape a parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from agentapp.api.errors import MalformedResponseError

IST = timezone(timedelta(hours=5, minutes=30), "IST")

_TRUE_WORDS = {"1", "true", "yes", "on", "active", "enabled", "y"}
_FALSE_WORDS = {"0", "false", "no", "off", "inactive", "disabled", "n", ""}
_SUCCESS_STATUSES = {"200", "true", "success", "ok", "1"}


def as_mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MalformedResponseError(f"{what}: expected an object, got {type(value).__name__}")
    return value


def as_list(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedResponseError(f"{what}: expected a list, got {type(value).__name__}")
    return value


def as_str(value: object, what: str = "value") -> str:
    """Text or a number as text; ``None`` is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, str):
        return value.strip()
    raise MalformedResponseError(f"{what}: expected text, got {type(value).__name__}")


def as_id(value: object, what: str) -> str:
    """A required id (``logid``, ``recordid``): int or string, never empty."""
    text = as_str(value, what)
    if not text:
        raise MalformedResponseError(f"{what}: missing")
    return text


def as_int(value: object, what: str = "value", default: int = 0) -> int:
    """An int, a float with no fraction, or a numeric string; empty means ``default``."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if number == number and abs(number) < 1e15 and number.is_integer():
            return int(number)
    raise MalformedResponseError(f"{what}: expected a whole number, got {value!r:.40}")


def as_flag(value: object, what: str = "value") -> bool:
    """``"1"``/``"0"``, ``true``/``false``, ``"active"``/``"inactive"`` and similar."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise MalformedResponseError(f"{what}: expected a yes/no flag, got {value!r:.40}")


def as_datetime(value: object, what: str = "time") -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` in IST (or ISO 8601); empty is ``None``. Always aware."""
    text = as_str(value, what)
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MalformedResponseError(f"{what}: not a date and time: {text!r:.40}") from None
    return parsed.replace(tzinfo=IST) if parsed.tzinfo is None else parsed


def as_date(value: object, what: str = "date") -> date | None:
    text = as_str(value, what)
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise MalformedResponseError(f"{what}: not a date: {text!r:.40}") from None


def status_is_success(value: object) -> bool:
    """``200``, ``"200"``, ``true``, ``"success"`` all mean success."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 200
    if isinstance(value, str):
        return value.strip().lower() in _SUCCESS_STATUSES
    return False


def status_code_of(value: object) -> int | None:
    """The numeric value of a body ``status`` when it has one (401, "404", ...)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def today_ist() -> date:
    return datetime.now(IST).date()
