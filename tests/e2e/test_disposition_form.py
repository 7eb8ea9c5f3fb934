"""The wrap-up form on its own: keyboard, accessible names, the after-call-work timer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt

from agentapp.ui.disposition_badge import DispositionBadge, badge_text
from agentapp.ui.disposition_form import DispositionForm, state_words

STATUSES = [(1, "Interested"), (2, "Not Interested"), (3, "Call Back Later")]


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


def make(qtbot: Any, clock: Clock | None = None) -> DispositionForm:
    form = DispositionForm("Wrap-up", clock=clock or Clock())
    qtbot.addWidget(form)
    form.set_statuses(STATUSES)
    return form


def test_digits_pick_a_status_but_type_into_the_remark(qtbot: Any) -> None:
    form = make(qtbot)
    edits: list[tuple[object, str]] = []
    form.edited.connect(lambda s, r: edits.append((s, r)))
    assert form.status_id() is None
    qtbot.keyClick(form.statuses, Qt.Key.Key_2)
    assert form.status_id() == 2
    qtbot.keyClick(form.save_button, Qt.Key.Key_3)  # anywhere in the form but the remark
    assert form.status_id() == 3
    qtbot.keyClick(form.statuses, Qt.Key.Key_9)  # no ninth status: nothing changes
    assert form.status_id() == 3
    qtbot.keyClicks(form.remark, "ring at 4")
    assert form.status_id() == 3 and form.remark.toPlainText() == "ring at 4"
    assert edits[-1] == (3, "ring at 4")
    assert form.statuses.item(0).text() == "1  Interested"


def test_ctrl_enter_saves_and_needs_a_status_first(qtbot: Any) -> None:
    form = make(qtbot)
    saved: list[tuple[int, str]] = []
    form.save_requested.connect(lambda s, r: saved.append((s, r)))
    qtbot.keyClick(form.remark, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert saved == []
    assert form.state_label.text() == "Choose a disposition first (press its number)."
    assert form.state_label.accessibleName() == form.state_label.text()
    qtbot.keyClick(form.statuses, Qt.Key.Key_1)
    qtbot.keyClicks(form.remark, "  keen  ")
    qtbot.keyClick(form.remark, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert saved == [(1, "keen")]


def test_restoring_a_draft_is_not_an_edit(qtbot: Any) -> None:
    form = make(qtbot)
    edits: list[object] = []
    form.edited.connect(lambda s, r: edits.append(s))
    form.set_values(3, "call back after lunch")
    assert (form.status_id(), form.remark.toPlainText()) == (3, "call back after lunch")
    assert edits == []
    form.set_statuses(list(reversed(STATUSES)))  # a refreshed list keeps the choice
    assert form.status_id() == 3 and edits == []


def test_states_in_words_with_accessible_names(qtbot: Any) -> None:
    form = make(qtbot)
    names = {"Disposition", "Remark", "Save disposition"}
    assert {form.statuses.accessibleName(), form.remark.accessibleName(),
            form.save_button.accessibleName()} == names
    for state, reason, words in (
            ("none", "", "none"), ("draft", "", "draft, not saved yet"),
            ("pending", "", "saved, sending"),
            ("pending", "No connection", "saved, waiting to send (No connection)"),
            ("sent", "", "sent"), ("failed", "call_status is invalid",
                                   "not accepted: call_status is invalid")):
        assert state_words(state, reason) == words
        form.set_state(state, reason)
        assert form.state_label.text() == f"Disposition: {words}"
        assert form.state_label.accessibleName() == f"Disposition state: {words}"
    form.set_state("failed", "bad")
    assert form.save_button.text() == "Edit and retry"


def test_after_call_work_timer_counts_until_saved(qtbot: Any) -> None:
    clock = Clock()
    form = make(qtbot, clock)
    assert form.after_call_work() == "Wrap-up 00:00"
    clock.now += 83
    form._render_timer()  # what the one-second ticker does
    assert form.after_call_work() == "Wrap-up 01:23"
    assert form.timer_label.accessibleName() == "After-call work: 01:23"
    form.set_state("pending")
    clock.now += 60
    form._render_timer()
    assert form.after_call_work() == "Wrap-up took 01:23"
    assert form.timer_label.accessibleName() == "After-call work: 01:23, done"
    form.set_state("draft")  # editing again: wrap-up continues
    assert form.after_call_work() == "Wrap-up 02:23"


def test_badge_counts_pending_and_failed_and_hides_at_zero(qtbot: Any) -> None:
    badge = DispositionBadge()
    qtbot.addWidget(badge)
    badge.show()
    badge.set_counts(2, 1)
    assert badge.text() == "Dispositions: 2 waiting to send, 1 not accepted"
    assert badge.accessibleName() == badge.text() and badge.isVisible()
    badge.set_counts(0, 0)
    assert badge.isHidden() and badge_text(0, 0) == ""


def test_focus_and_restores_are_not_edits(qtbot: Any) -> None:
    """Opening a saved disposition must not write an empty draft over it."""
    form = make(qtbot)
    edits: list[object] = []
    form.edited.connect(lambda s, r: edits.append((s, r)))
    form.show()
    form.statuses.setFocus()
    # What a list does on focus without a current item: current, not selected.
    form.statuses.setCurrentRow(0, QItemSelectionModel.SelectionFlag.NoUpdate)
    assert form.status_id() is None
    form.set_values(2, "kept")
    assert edits == []
    qtbot.keyClick(form.statuses, Qt.Key.Key_2)  # the same status again: no change
    assert edits == []
    qtbot.keyClick(form.statuses, Qt.Key.Key_1)
    assert edits == [(1, "kept")]


def test_without_statuses_it_says_so_and_cannot_save(qtbot: Any) -> None:
    form = DispositionForm("Wrap-up", clock=Clock())
    qtbot.addWidget(form)
    form.set_state("none")
    assert form.state_label.text() == ("Disposition: none (the account's statuses are not "
                                       "loaded yet: waiting for the server)")
    assert not form.save_button.isEnabled()
    form.set_statuses(STATUSES)
    assert form.state_label.text() == "Disposition: none"
    assert form.save_button.isEnabled()
