"""Phone number parsing: the forms agents really use, the reasons for rejection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentapp.core.phone import (
    InvalidNumber,
    PhoneNumber,
    did_for_api,
    format_did,
    parse_dial_target,
    parse_number,
)

MOBILE = PhoneNumber(e164="+919876543210", region="IN", national="9876543210")
LANDLINE = PhoneNumber(e164="+911143104567", region="IN", national="1143104567")


@pytest.mark.parametrize(
    "text",
    [
        "+91 98765 43210",
        "+919876543210",
        "919876543210",
        "09876543210",
        "9876543210",
        "98765-43210",
        "(+91) 98765.43210",
        "0091 98765 43210",
        "tel:+91-98765-43210",
        "tel:+91-98765-43210;ext=1",
        "TEL:+919876543210",
        "tel:09876543210;phone-context=+91",
        "callto:+919876543210",
        "callto://+919876543210",
        "callto://09876543210/",
        "tel:%2B91%2098765%2043210",
        "%2B919876543210",
    ],
)
def test_mobile_forms(text: str) -> None:
    assert parse_number(text) == MOBILE


@pytest.mark.parametrize(
    "text",
    [
        "011 4310 4567",
        "(011) 4310-4567",
        "011-43104567",
        "011.4310.4567",
        "+91 11 4310 4567",
        "tel:4310-4567;phone-context=+91-11",
    ],
)
def test_std_landline_forms(text: str) -> None:
    assert parse_number(text) == LANDLINE


def test_display_and_api_forms() -> None:
    assert MOBILE.display() == "+91 98765 43210"
    assert MOBILE.for_api() == "09876543210"
    assert LANDLINE.for_api() == "01143104567"
    us = parse_number("+1 415 555 2671")
    assert us.region == "US"
    assert us.for_api() == "0014155552671"
    assert parse_number(us.for_api()) == us


def test_region_is_a_parameter() -> None:
    assert parse_number("(415) 555-2671", region="US").e164 == "+14155552671"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "enter a phone number"),
        ("   ", "enter a phone number"),
        ("2101", "2101 looks like an extension, not a phone number"),
        ("21005", "looks like an extension"),
        ("1", "too short"),
        ("123456789012345678901", "too long"),
        ("98765abcde", "contains letters"),
        ("call me", "contains letters"),
        ("98765*43210", "not part of a phone number"),
        ("0000000000", "not a valid number for India"),
        ("+999 12345678", "country code"),
        ("tel:", "enter a phone number"),
    ],
)
def test_rejections_say_why(text: str, words: str) -> None:
    with pytest.raises(InvalidNumber) as info:
        parse_number(text)
    assert words in info.value.reason
    assert str(info.value) == info.value.reason


@pytest.mark.parametrize(
    "text",
    [
        "  \u200e+91\u00a098765\u00a043210\u200f ",
        '"09876543210"',
        "<tel:+919876543210>",
        "Please call tel:+919876543210 today",
        "\uff19\uff18\uff17\uff16\uff15\uff14\uff13\uff12\uff11\uff10",  # full-width digits
        "09876543210\n",
    ],
)
def test_dial_target_cleans_outside_text(text: str) -> None:
    assert parse_dial_target(text) == MOBILE


def test_did_for_api_and_display() -> None:
    for did in ("+911143104567", "911143104567", "01143104567", "+91 11 4310 4567"):
        assert did_for_api(did) == "911143104567"
    assert did_for_api("+918044475500") == "918044475500"
    assert format_did("+911143104567") == "+91 11 4310 4567"
    assert format_did("not a did") == "not a did"
    with pytest.raises(InvalidNumber):
        did_for_api("")


indian_mobiles = st.builds(
    lambda first, rest: f"{first}{rest:09d}", st.sampled_from("6789"), st.integers(0, 10**9 - 1)
)


@given(indian_mobiles, st.sampled_from(["{}", "0{}", "91{}", "+91{}", "+91 {}", "tel:+91{}"]))
def test_valid_mobiles_round_trip(national: str, template: str) -> None:
    try:
        number = parse_number(template.format(national))
    except InvalidNumber:
        return  # some ranges are unallocated; the rejection itself is tested below
    assert number.national == national
    assert parse_number(number.e164) == number
    assert parse_number(number.display()) == number
    assert parse_number(number.for_api()) == number
    assert parse_dial_target(f"tel:{number.e164}") == number


@given(st.text(max_size=40))
def test_never_crashes_and_always_explains(text: str) -> None:
    try:
        number = parse_dial_target(text)
    except InvalidNumber as exc:
        assert exc.reason.strip()
        assert exc.reason.endswith(".")
    else:
        assert number.e164.startswith("+")
        assert parse_number(number.e164) == number


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=20))
def test_letters_are_junk(text: str) -> None:
    with pytest.raises(InvalidNumber):
        parse_number(text)


@given(st.integers(10, 99999))
def test_short_digit_strings_are_never_numbers(value: int) -> None:
    with pytest.raises(InvalidNumber) as info:
        parse_number(str(value))
    assert "extension" in info.value.reason or "too short" in info.value.reason
