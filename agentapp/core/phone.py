"""Phone numbers: whatever the agent types, pastes or launches, to one checked form.

Everything goes through the ``phonenumbers`` library (default region India) so
the app accepts the ways people really write numbers (``+91``, ``91``,
``0``-prefixed, STD landlines with brackets, ``tel:``/``callto:`` URIs) and
rejects the rest with a reason a person understands, before any API call.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

DEFAULT_REGION = "IN"
_MAX_DIGITS = 17  # E.164 allows 15; leave room for a trunk/international prefix
_EXTENSION_DIGITS = range(2, 6)  # 2101, 210, 21005: the platform's extension lengths
_VISUAL_SEPARATORS = " \t-.()/[]"
_SEPARATOR_CLASS = "[" + re.escape(_VISUAL_SEPARATORS) + "]"
_ALLOWED = re.compile(rf"^{_SEPARATOR_CLASS}*\+?[0-9{re.escape(_VISUAL_SEPARATORS)}]*$")
_SCHEME = re.compile(r"^(tel|callto|phone|sip|sips):(//)?", re.IGNORECASE)
_URI_IN_TEXT = re.compile(r"(?:tel|callto):[^\s<>\"']+", re.IGNORECASE)


def strip_invisible(text: str) -> str:
    """Remove every Unicode format character (category Cf): zero-width spaces and
    joiners, the BOM, and all bidirectional controls (LRM/RLM, embeddings,
    overrides such as U+202E, isolates). Copying from web pages and chats adds
    some; a hostile ``tel:`` link uses them to make a field *display* another
    number than the one that would be called. Applied for display and parsing.
    """
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


class InvalidNumber(ValueError):
    """Not a number we can dial; ``reason`` is a sentence to show the agent."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PhoneNumber:
    """A valid, normalised number.

    ``national`` is the national significant number (``9876543210``): the form
    the provider's logs use for customer numbers, so it is the matching key.
    """

    e164: str
    region: str
    national: str

    def display(self) -> str:
        """International format with the usual grouping: ``+91 98765 43210``."""
        return phonenumbers.format_number(self._parsed(), PhoneNumberFormat.INTERNATIONAL)

    def for_api(self) -> str:
        """The ``phone`` value for click-to-call.

        Indian numbers: ``0`` + national number (``09876543210``), the form the
        reference asks for ("with 0 prefix"). Foreign numbers are a *guess*:
        ``00`` + E.164 digits (``0014155552671``), the international dialling
        prefix from India; no client on record dials abroad.
        """
        if self.e164.startswith("+91"):
            return "0" + self.national
        return "00" + self.e164[1:]

    def _parsed(self) -> phonenumbers.PhoneNumber:
        return phonenumbers.parse(self.e164, None)


def parse_number(text: str, region: str = DEFAULT_REGION) -> PhoneNumber:
    """Normalise ``text`` or raise ``InvalidNumber`` saying what is wrong with it."""
    text = strip_invisible(text)
    candidate = _strip_uri(text.strip())
    if not candidate:
        raise InvalidNumber("Please enter a phone number.")
    if any(ch.isalpha() for ch in candidate):
        raise InvalidNumber(f"“{_shorten(text)}” contains letters; a phone number has only digits.")
    if not _ALLOWED.match(candidate):
        shown = _shorten(text)
        raise InvalidNumber(f"“{shown}” contains characters that are not part of a phone number.")
    digits = "".join(ch for ch in candidate if ch.isdigit())
    international = candidate.lstrip(_VISUAL_SEPARATORS).startswith("+")
    if not digits:
        raise InvalidNumber("Please enter a phone number.")
    if not international and len(digits) in _EXTENSION_DIGITS:
        raise InvalidNumber(f"{digits} looks like an extension, not a phone number.")
    if len(digits) < 6:
        raise InvalidNumber(f"{digits} is too short to be a phone number.")
    if len(digits) > _MAX_DIGITS:
        raise InvalidNumber(f"{_shorten(digits)} is too long to be a phone number.")
    try:
        parsed = phonenumbers.parse(("+" if international else "") + digits, region)
    except NumberParseException as exc:
        raise InvalidNumber(_parse_error_reason(exc, digits)) from exc
    return _checked(parsed, digits, region)


def parse_dial_target(text: str, region: str = DEFAULT_REGION) -> PhoneNumber:
    """Like ``parse_number`` for text from outside: argv, clipboard, a second launch.

    Copied text brings quotes, angle brackets, invisible direction marks,
    non-breaking spaces and full-width digits, or a ``tel:`` link inside a
    sentence; those are cleaned before parsing.
    """
    cleaned = strip_invisible(unicodedata.normalize("NFKC", text)).strip()
    cleaned = cleaned.strip("\"'<>“”‘’«» \t\r\n")
    found = _URI_IN_TEXT.search(cleaned)
    if found and not _SCHEME.match(cleaned):
        cleaned = found.group(0)
    return parse_number(cleaned, region)


def did_for_api(did: str) -> str:
    """A DID as the c2c API wants it: digits with country code, no plus (``911143104567``).

    The live API answers "Did No. Invalid" to ``+91…`` (docs/api-reference.md, Conventions).
    DIDs come from our own listing, so this is lenient: a number that is not
    "valid" by the library's metadata is still converted digit-wise.
    """
    digits = "".join(ch for ch in did if ch.isdigit())
    if not digits:
        raise InvalidNumber("No DID number was given.")
    stripped = did.strip()
    try:
        parsed = phonenumbers.parse("+" + digits if stripped.startswith("+") else digits, "IN")
    except NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(parsed):
        return digits
    return f"{parsed.country_code}{phonenumbers.national_significant_number(parsed)}"


def format_did(did: str) -> str:
    """A DID for display (``+91 11 4310 4567``); unparseable input is shown as given."""
    stripped = did.strip()
    try:
        parsed = phonenumbers.parse(stripped, DEFAULT_REGION)
    except NumberParseException:
        return stripped
    if not phonenumbers.is_possible_number(parsed):
        return stripped
    return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)


def _strip_uri(text: str) -> str:
    """``tel:+91-98765-43210;ext=1`` -> ``+91-98765-43210`` (RFC 3966, plus callto:)."""
    text = unquote(text).strip()
    scheme = _SCHEME.match(text)
    if not scheme:
        return text
    rest = text[scheme.end() :]
    rest = rest.split("?", 1)[0]
    number, *params = rest.split(";")
    number = number.split("@", 1)[0].rstrip("/").strip()
    for param in params:
        name, _, value = param.partition("=")
        global_context = name.strip().lower() == "phone-context" and value.startswith("+")
        if global_context and not number.startswith("+"):
            # A local number in a global context: the context gives the country code.
            country = "".join(ch for ch in value if ch.isdigit())
            local = "".join(ch for ch in number if ch.isdigit()).lstrip("0")
            number = f"+{country}{local}"
    return number


def _checked(parsed: phonenumbers.PhoneNumber, digits: str, region: str) -> PhoneNumber:
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible == ValidationResult.TOO_SHORT:
        raise InvalidNumber(f"{digits} is too short to be a phone number.")
    if possible == ValidationResult.TOO_LONG:
        raise InvalidNumber(f"{_shorten(digits)} is too long to be a phone number.")
    if possible == ValidationResult.INVALID_COUNTRY_CODE:
        raise InvalidNumber(f"{digits} does not start with a known country code.")
    number_region = phonenumbers.region_code_for_number(parsed)
    if not phonenumbers.is_valid_number(parsed) or not number_region:
        where = _country_name(number_region or region)
        raise InvalidNumber(f"{_shorten(digits)} is not a valid number for {where}.")
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    national = phonenumbers.national_significant_number(parsed)
    return PhoneNumber(e164=e164, region=number_region, national=national)


def _parse_error_reason(exc: NumberParseException, digits: str) -> str:
    if exc.error_type == NumberParseException.TOO_SHORT_NSN:
        return f"{digits} is too short to be a phone number."
    if exc.error_type == NumberParseException.TOO_LONG:
        return f"{_shorten(digits)} is too long to be a phone number."
    if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
        return f"{digits} does not start with a known country code."
    return f"{_shorten(digits)} is not a phone number."


# Names for the regions agents actually dial. phonenumbers.geocoder would name
# every country, but importing it costs ~0.6 s and ~100 MiB, paid on the UI
# thread at the first invalid keystroke.
_COUNTRY_NAMES = {
    "IN": "India", "AE": "the UAE", "SA": "Saudi Arabia", "QA": "Qatar", "OM": "Oman",
    "KW": "Kuwait", "BH": "Bahrain", "SG": "Singapore", "MY": "Malaysia", "LK": "Sri Lanka",
    "NP": "Nepal", "BD": "Bangladesh", "GB": "the UK", "US": "the US", "CA": "Canada",
    "AU": "Australia",
}


def _country_name(region: str) -> str:
    return _COUNTRY_NAMES.get(region, f"region {region}")


def _shorten(text: str, limit: int = 32) -> str:
    text = " ".join(strip_invisible(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
