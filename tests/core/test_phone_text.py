"""Numbers inside free text: what an agent copies from a CRM note or a chat."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from agentapp.core.phone import InvalidNumber, parse_number
from agentapp.core.phone_text import MAX_FOUND, find_numbers, no_number_message


def _e164s(text: str, region: str = "IN") -> list[str]:
    return [f.number.e164 for f in find_numbers(text, region)]


def test_the_number_in_a_note_is_found() -> None:
    found = find_numbers("Ravi Kumar, mob: +91-99887 76655 (after 6pm)")
    assert [f.number.e164 for f in found] == ["+919988776655"]
    assert found[0].written == "+91-99887 76655"


def test_several_numbers_in_order_each_once() -> None:
    text = ("Office 011-4310 4567, ext 2101; mobile 098765 43210 "
            "(or +91 98765 43210 on WhatsApp)")
    assert _e164s(text) == ["+911143104567", "+919876543210"]


def test_a_bare_number_or_tel_link_is_itself() -> None:
    assert _e164s("  tel:+91-98765-43210  ") == ["+919876543210"]
    assert _e164s("“098765 43210”") == ["+919876543210"]


def test_region_from_settings_reads_national_numbers() -> None:
    assert _e164s("call (415) 555-2671 after lunch", "US") == ["+14155552671"]
    assert "+14155552671" not in _e164s("call (415) 555-2671 after lunch", "IN")


def test_text_without_numbers_finds_nothing_and_says_so_briefly() -> None:
    long_note = "Customer asked for a callback about order 12345678 " * 40
    assert find_numbers(long_note) == []
    message = no_number_message(long_note)
    assert message.startswith("No phone number found in “") and len(message) < 80
    assert no_number_message("   ") == "The clipboard holds no text to dial."
    assert "extension" in no_number_message("2101")


def test_dates_times_and_order_numbers_are_not_numbers() -> None:
    assert find_numbers("Order 12345678 on 2024-01-05 at 10:30, ₹1,499.00") == []


def test_no_more_than_max_found() -> None:
    text = " ".join(f"98765{i:05d}" for i in range(MAX_FOUND + 10))
    assert 0 < len(find_numbers(text)) <= MAX_FOUND


mobiles = st.builds(lambda first, rest: f"{first}{rest:09d}", st.sampled_from("6789"),
                    st.integers(0, 10**9 - 1))
words = st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=30)


@given(words, mobiles, words)
def test_a_valid_mobile_between_words_is_found(before: str, national: str, after: str) -> None:
    try:
        expected = parse_number(national)
    except InvalidNumber:
        assume(False)
        return
    text = f"{before} mob: +91-{national[:5]} {national[5:]} {after}"
    assert expected.e164 in _e164s(text)


@given(st.text(max_size=200))
def test_every_found_number_is_dialable_and_unique(text: str) -> None:
    found = _e164s(text)
    assert len(found) == len(set(found))
    for e164 in found:
        assert parse_number(e164).e164 == e164
    if not found:
        assert no_number_message(text).endswith(".")
