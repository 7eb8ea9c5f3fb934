"""The presentation table: every setting an agent may change is on exactly one page,
in words, with a human range; the app's own bookkeeping is on none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentapp.settings import ALL_SETTINGS, Setting
from agentapp.ui.settings_pages import (
    ADVANCED,
    INTERNAL,
    PAGE_ORDER,
    TABLE,
    WINDOW,
    Applies,
    Kind,
    pages,
    shown_fields,
)

DECLARED: dict[str, Setting[Any]] = {s.key: s for s in ALL_SETTINGS}


def test_every_user_setting_on_exactly_one_page_and_internal_ones_on_none() -> None:
    placed: dict[str, list[str]] = {}
    for page in pages(DECLARED):
        for row in page.fields:
            placed.setdefault(row.key, []).append(page.name)
    for key in DECLARED:
        if key in INTERNAL:
            assert key not in placed, f"{key} is internal but shown on {placed[key]}"
        else:
            assert len(placed.get(key, [])) == 1, f"{key} is on {placed.get(key)}"
    for internal in ("ui/geometry", "ui/told_tray", "app/first_choice_made",
                     "api/probe_interval_s"):
        assert internal in DECLARED and internal in INTERNAL


def test_pages_come_in_order_and_none_is_empty() -> None:
    found = pages(DECLARED)
    assert [p.name for p in found] == list(PAGE_ORDER)
    assert all(p.fields for p in found), [p.name for p in found if not p.fields]


def test_an_unknown_declaration_lands_on_advanced_under_its_own_label() -> None:
    newcomer = Setting("pop/sound", bool, True, "Play a sound for a pop-up")
    placed = shown_fields({**DECLARED, newcomer.key: newcomer})
    assert placed[newcomer.key].page == ADVANCED
    assert placed[newcomer.key].label == "Play a sound for a pop-up"
    assert placed[newcomer.key].kind is Kind.CHECK


def test_an_unknown_value_no_one_could_type_stays_internal() -> None:
    blob = Setting("ui/splitter_state", bytes, b"", "Splitter state")
    assert blob.key not in shown_fields({**DECLARED, blob.key: blob})


def test_rows_for_settings_not_declared_yet_are_skipped_until_they_are() -> None:
    assert any(row.key == "ui/start_at_login" for row in TABLE)
    without = {k: s for k, s in DECLARED.items() if k != "ui/start_at_login"}
    assert "ui/start_at_login" not in shown_fields(without)
    login = Setting("ui/start_at_login", bool, False, "Start at login")
    placed = shown_fields({**without, login.key: login})
    assert placed[login.key].page == WINDOW
    assert placed[login.key].label == "Start when I log in to the computer"


def test_choices_are_in_words_and_cover_every_declared_choice() -> None:
    for row in shown_fields(DECLARED).values():
        setting = DECLARED[row.key]
        if setting.choices:
            assert row.kind is Kind.CHOICE
            assert {v for v, _ in row.words} == set(setting.choices), row.key
            assert all(text != value for value, text in row.words), row.key
    words = dict(shown_fields(DECLARED)["pop/incoming_trigger"].words)
    assert words == {"ring": "When the phone rings", "answer": "When I answer",
                     "off": "Never"}
    assert dict(shown_fields(DECLARED)["dial/tel_action"].words) == {
        "prefill": "Fill in the number", "dial": "Call at once"}


def test_numbers_have_human_ranges_and_only_ports_go_to_65535() -> None:
    shown = shown_fields(DECLARED)
    for row in shown.values():
        if row.kind is Kind.NUMBER:
            setting = DECLARED[row.key]
            assert setting.is_valid(int(row.minimum)) and setting.is_valid(int(row.maximum))
            assert (row.maximum == 65535) == row.key.endswith("port"), row.key
    days = shown["history/backfill_days"]
    assert (days.minimum, days.maximum, days.suffix) == (1, 365, " days")
    assert shown["webhook/port"].special == "Any free port"


def test_every_row_has_help_or_a_self_explaining_label_and_a_when() -> None:
    for row in shown_fields(DECLARED).values():
        assert row.label and row.label[0].isupper(), row.key
        assert isinstance(row.applies, Applies)
        if DECLARED[row.key].check is not None and row.kind is Kind.TEXT:
            assert row.problem, f"{row.key}: a refused value must say what to type"


def test_the_user_docs_name_every_page_and_setting() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "settings.md").read_text(
        encoding="utf-8")
    for page in pages(DECLARED):
        assert f"### {page.name}" in docs, page.name
        for row in page.fields:
            if row.section != "Other":  # declarations the table does not know yet
                assert f"`{row.key}`" in docs, row.key
