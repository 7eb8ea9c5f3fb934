"""Phone numbers inside free text: a CRM note, a chat line, an e-mail signature.

Agents copy "Ravi Kumar, mob: +91-99887 76655 (after 6pm)", not a bare
number. ``find_numbers`` picks out every dialable number (the ``phonenumbers``
matcher, valid numbers only, in the settings' default region), so one number
can be dialled or prefilled and several offered as a choice. Pure: no Qt.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from agentapp.core.phone import (
    DEFAULT_REGION,
    InvalidNumber,
    PhoneNumber,
    parse_dial_target,
    parse_number,
    strip_invisible,
)

MAX_TEXT = 10_000  # a pasted page, not a book: the matcher is linear but not free
MAX_FOUND = 20  # a chooser longer than this helps nobody


@dataclass(frozen=True)
class FoundNumber:
    """A number found in text: ``number`` checked and normalised, ``written`` as it
    appeared (shown beside the number in a chooser, so the agent recognises it)."""

    number: PhoneNumber
    written: str


def find_numbers(text: str, region: str = DEFAULT_REGION) -> list[FoundNumber]:
    """Every valid number in ``text``, first occurrence first, each once (by E.164).

    A text that is itself a dial target (``tel:`` link, bare number) gives that
    one number. Extensions written after a number ("ext 2101") are dropped: the
    platform dials the number; the agent's own extension is not the customer's.
    """
    cleaned = strip_invisible(unicodedata.normalize("NFKC", text))[:MAX_TEXT]
    if not cleaned.strip():
        return []
    try:
        whole = parse_dial_target(cleaned, region)
    except InvalidNumber:
        pass
    else:
        return [FoundNumber(whole, " ".join(cleaned.split()))]
    found: list[FoundNumber] = []
    seen: set[str] = set()
    for match in PhoneNumberMatcher(cleaned, region, leniency=Leniency.VALID):
        e164 = phonenumbers.format_number(_without_extension(match.number),
                                          PhoneNumberFormat.E164)
        if e164 in seen:
            continue
        try:
            number = parse_number(e164, region)
        except InvalidNumber:  # valid for the matcher but not for dialling
            continue
        seen.add(e164)
        found.append(FoundNumber(number, " ".join(match.raw_string.split())))
        if len(found) >= MAX_FOUND:
            break
    return found


def no_number_message(text: str) -> str:
    """The refusal for text with no dialable number: short whatever the text's length."""
    cleaned = " ".join(strip_invisible(text).split())
    if not cleaned:
        return "The clipboard holds no text to dial."
    try:
        parse_dial_target(cleaned)
    except InvalidNumber as exc:
        if not any(ch.isalpha() for ch in cleaned):
            return exc.reason  # a near-number: say what is wrong with it
    shown = cleaned if len(cleaned) <= 40 else cleaned[:39] + "…"
    return f"No phone number found in “{shown}”."


def _without_extension(number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber:
    copy = phonenumbers.PhoneNumber()
    copy.merge_from(number)
    copy.extension = None
    return copy
