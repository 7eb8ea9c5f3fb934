"""The number spellings the API accepts, reduced to one canonical form each.

Customers: ``0XXXXXXXXXX``, ``91XXXXXXXXXX``, ``+91XXXXXXXXXX`` or 10 digits -> 10 digits.
DIDs: ``+91…`` or ``91…`` -> ``+91…`` (how listings show them).
"""

from __future__ import annotations


def _digits(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


def national_number(raw: str) -> str | None:
    """The 10-digit Indian number, or None when ``raw`` is not one."""
    text = raw.strip().replace(" ", "").replace("-", "")
    if not text or not all(ch.isdigit() for ch in text.lstrip("+")):
        return None
    digits = _digits(text)
    if len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) != 10:
        return None
    return digits if digits[0] != "0" else None


def canonical_did(raw: str) -> str | None:
    """``+91…`` form of a DID given as ``+91…``, ``91…`` or ``0…``; None if not a number."""
    text = raw.strip().replace(" ", "")
    if not text or not all(ch.isdigit() for ch in text.lstrip("+")):
        return None
    digits = _digits(text)
    if digits.startswith("0"):
        digits = "91" + digits[1:]
    if not digits.startswith("91") or len(digits) < 10:
        return None
    return "+" + digits
