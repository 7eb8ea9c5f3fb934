"""Bidirectional controls cannot make the number field show another number (issue 16.9).

A ``tel:`` target with RLO (U+202E) or RLM marks displays 4321098765 while the app
would call +91 98765 43210; a refusal text with U+202E reads backwards. Every
format character is stripped for display as well as for parsing.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from agentapp.core.phone import InvalidNumber, parse_dial_target, parse_number, strip_invisible
from agentapp.ui.dial_panel import DialPanel

SPOOFS = [
    "tel:\u202e01234567890",               # RLO: the digits display reversed
    "tel:+91\u200f98765\u200f43210",        # RLM marks between groups
    "\u2067+91 98765 43210\u2069",          # right-to-left isolate
    "\u202b098765\u202c43210",              # RLE ... PDF
    "\u061c09876543210",                    # Arabic letter mark
]


def _has_format_chars(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cf" for ch in text)


@pytest.mark.parametrize("target", SPOOFS)
def test_field_never_holds_bidi_controls(qtbot: QtBot, target: str) -> None:
    panel = DialPanel()
    qtbot.addWidget(panel)
    panel.prefill(target)
    shown = panel.number.text()
    assert not _has_format_chars(shown)
    assert shown == strip_invisible(target)
    assert not _has_format_chars(panel.preview.text())


def test_spoofed_target_calls_what_the_field_shows(qtbot: QtBot) -> None:
    panel = DialPanel()
    qtbot.addWidget(panel)
    panel.prefill("tel:+91\u202e98765 43210")
    assert panel.number.text() == "tel:+9198765 43210"
    assert parse_dial_target(panel.number.text()).e164 == "+919876543210"
    assert panel.preview.text() == "Will call +91 98765 43210"


def test_refusal_text_is_not_reversed() -> None:
    with pytest.raises(InvalidNumber) as refused:
        parse_number("call\u202eme 123")
    assert not _has_format_chars(refused.value.reason)
    assert "callme" in refused.value.reason


def test_typing_keeps_the_cursor_after_a_stripped_paste(qtbot: QtBot) -> None:
    panel = DialPanel()
    qtbot.addWidget(panel)
    panel.number.setText("98765")
    panel.number.setCursorPosition(5)
    panel.number.insert("\u200f43210")
    assert panel.number.text() == "9876543210"
    assert panel.number.cursorPosition() == 10


@given(st.text(alphabet=st.characters(categories=["Cf", "Nd", "Zs"]), max_size=40))
def test_strip_invisible_removes_exactly_the_format_characters(text: str) -> None:
    clean = strip_invisible(text)
    assert not _has_format_chars(clean)
    assert clean == "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
