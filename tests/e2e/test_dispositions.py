"""Dispositions in the real app against the sandbox: wrap-up on the card, pops, history,
the badge, quitting with items not sent, and "disposition before the next call".

The harness pins calling hours and the app's local time (tests/e2e/conftest.py), so
nothing depends on the hour the suite runs at.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from agentapp.core.call import Phase
from agentapp.qt.history_model import DISPOSITION_COLUMN
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.dispositions import CallRef
from agentapp.settings import DISPOSITION_REQUIRED, Settings
from agentapp.ui.disposition_form import DispositionForm
from testkit.apps import new_profile
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

CUSTOMER = "9876543210"
NOTE_PATH = "/api/update_call_note"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=40.0, history=40)


def pinned_profile(*, require: bool = False) -> str:
    """A fresh profile with the "disposition before the next call" rule set as asked."""
    profile = new_profile("disp")
    settings = Settings.for_profile(profile)
    settings.set(DISPOSITION_REQUIRED, require)
    settings.save()
    return profile


def notes(sb: SandboxThread) -> list[dict[str, Any]]:
    return list(sb.control("GET", "/_sandbox/notes")["data"])


def ended_card(app: Any) -> Any:
    for card in app.window._cards.values():
        if card.timeline.phase is Phase.ENDED:
            return card
    return None


async def call_and_wrap_up(app: Any, qtbot: Any) -> tuple[Any, DispositionForm]:
    app.window.dial.number.setText(CUSTOMER)
    app.window.dial_requested.emit(CUSTOMER)
    await wait_until(lambda: ended_card(app) is not None, 20, "the call to end")
    card = ended_card(app)
    await wait_until(lambda: card.findChild(DispositionForm) is not None, 5, "the wrap-up form")
    form = card.findChild(DispositionForm)
    await wait_until(lambda: form.statuses.count() == 7, 5, "the account's statuses")
    return card, form


def message_box(app: Any) -> QMessageBox | None:
    """A question shown in this app's main window (not one another test left open)."""
    for widget in app.window.findChildren(QMessageBox):
        if widget.isVisible():
            return widget
    return None


def test_wrap_up_on_the_card_keyboard_only_reaches_the_sandbox(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile())
        card, form = await call_and_wrap_up(app, qtbot)
        logid = card.timeline.logid
        assert form.statuses.accessibleName() == "Disposition"
        assert form.remark.accessibleName() == "Remark"
        assert form.save_button.accessibleName() == "Save disposition"
        assert form.state_label.text() == "Disposition: none"
        assert form.after_call_work().startswith("Wrap-up ")
        app.window.activateWindow()
        app.window.dial.number.setFocus()
        wrap_up = next(a for a in app.window.actions() if a.text() == "&Wrap up last call")
        assert wrap_up.shortcut().toString() == "Ctrl+D"
        wrap_up.trigger()
        await wait_until(lambda: QApplication.focusWidget() is form.statuses, 5, "Ctrl+D focus")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)  # "3  Call Back Later"
        assert form.status_id() == 3
        qtbot.keyClicks(form.remark, "Call after 6 pm 2")  # digits in the remark stay text
        assert form.status_id() == 3
        await wait_until(lambda: form.state == "draft", 5, "the draft saved as typed")
        qtbot.keyClick(form.remark, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: form.state == "sent", 10, "the disposition sent")
        assert [(n["record_id"], n["call_status"], n["call_remark"]) for n in notes(sandbox)
                ] == [(logid, "3", "Call after 6 pm 2")]
        assert str(app.calls()[-1]["id"]) == logid  # Ctrl+Enter did not place a call
        assert len(app.calls()) == 1
        assert form.state_label.accessibleName() == "Disposition state: sent"
        assert form.after_call_work().startswith("Wrap-up took ")
        assert app.runtime.dispositions.badge.isHidden()

    qloop.run(scenario())


def test_faults_pending_badge_then_failed_with_reason_then_edit_and_retry(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile())
        card, form = await call_and_wrap_up(app, qtbot)
        badge = app.runtime.dispositions.badge
        sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "paths": [NOTE_PATH]})
        qtbot.keyClick(form.statuses, Qt.Key.Key_1)
        form.save()
        await wait_until(lambda: form.state == "pending" and "server" in
                         form.state_label.text().lower(), 10, "pending with the reason")
        await wait_until(lambda: badge.isVisible(), 5, "the badge")
        assert badge.text() == "Dispositions: 1 waiting to send"
        assert badge.accessibleName() == badge.text()
        # A validation error: permanent, shown with the server's reason.
        sandbox.control("POST", "/_sandbox/faults",
                        {"error_rate": 1.0, "error_status": 400, "paths": [NOTE_PATH],
                         "count": 1})
        await app.runtime.services.dispositions.outbox.retry_now()
        await wait_until(lambda: form.state == "failed", 10, "the failure")
        assert "Simulated server error" in form.state_label.text()
        assert form.save_button.text() == "Edit and retry"
        await wait_until(lambda: badge.text() == "Dispositions: 1 not accepted", 5, "badge")
        badge.click()
        outbox_list = app.runtime.dispositions.outbox_list
        await wait_until(lambda: outbox_list.items.count() == 1, 5, "the list")
        assert "not accepted: " in outbox_list.items.item(0).text()
        outbox_list.items.setCurrentRow(0)
        outbox_list.open_button.click()  # the same call in its own window: values kept
        window = app.runtime.dispositions._windows[("c2c", card.timeline.logid)]
        await wait_until(lambda: window.form.status_id() == 1, 5, "the saved values")
        assert window.form.state == "failed"
        window.close()
        qtbot.keyClick(form.statuses, Qt.Key.Key_2)
        qtbot.keyClick(form.statuses, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: form.state == "sent", 10, "sent after edit and retry")
        assert [n["call_status"] for n in notes(sandbox)] == ["2"]
        await wait_until(lambda: badge.isHidden(), 5, "the badge gone")
        assert card.findChild(DispositionForm) is form

    qloop.run(scenario())


def test_quitting_with_pending_asks_and_they_are_sent_at_the_next_start(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    profile = pinned_profile()

    async def scenario() -> None:
        app = await start_app("--profile", profile)
        card, form = await call_and_wrap_up(app, qtbot)
        logid = card.timeline.logid
        sandbox.control("POST", "/_sandbox/faults", {"error_rate": 1.0, "paths": [NOTE_PATH]})
        qtbot.keyClick(form.statuses, Qt.Key.Key_5)
        form.save()
        await wait_until(lambda: form.state == "pending", 10, "pending")
        app.window.quit_requested.emit()  # Ctrl+Q / the window's close button
        await wait_until(lambda: message_box(app) is not None, 5, "the question")
        box = message_box(app)
        assert box is not None and box in app.window.findChildren(QMessageBox)
        assert box.text() == ("1 disposition waiting to send: kept on this computer and sent "
                              "the next time you start the app.\n\nQuit anyway?")
        box.button(QMessageBox.StandardButton.No).click()
        await wait_until(lambda: message_box(app) is None, 5, "the question closed")
        assert not app.task.done()
        app.window.quit_requested.emit()
        await wait_until(lambda: message_box(app) is not None, 5, "the question again")
        message_box(app).button(QMessageBox.StandardButton.Yes).click()  # type: ignore[union-attr]
        await wait_until(lambda: app.task.done(), 10, "the app to quit")
        await app.stop()  # releases the instance socket for the restart below
        assert notes(sandbox) == []
        sandbox.control("POST", "/_sandbox/faults", {})
        again = await start_app("--profile", profile)
        await wait_until(lambda: len(notes(sandbox)) == 1, 10, "sent at the next start")
        assert notes(sandbox)[0]["record_id"] == logid
        await wait_until(lambda: again.runtime.dispositions.counts.total == 0, 5, "counts")

    qloop.run(scenario())


def test_disposition_required_before_the_next_call_even_after_a_restart(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    profile = pinned_profile(require=True)

    async def scenario() -> None:
        app = await start_app("--profile", profile)
        card, _form = await call_and_wrap_up(app, qtbot)
        logid = card.timeline.logid
        await wait_until(lambda: app.runtime.services.dispositions.gate.value is not None, 5,
                         "the gate")
        app.window.dial_requested.emit("9876543211")
        await wait_until(lambda: "disposition" in app.window.dial.message.text().lower(), 5,
                         "the refusal")
        assert "last call" in app.window.dial.message.text()
        assert len(app.calls()) == 1
        await app.stop()

        again = await start_app("--profile", profile)
        await wait_until(lambda: again.runtime.services.dispositions.gate.value is not None, 5,
                         "the gate from the store")
        again.window.dial_requested.emit("9876543211")
        await wait_until(lambda: "disposition" in again.window.dial.message.text().lower(), 5,
                         "the refusal after the restart")
        assert len(again.calls()) == 1
        # Wrap up from the history window, then the next call goes through.
        history = again.runtime.history
        view = history.open(CUSTOMER, again.window)
        await wait_until(lambda: any(history.model.row_at(r).call.record_id == logid
                                     for r in range(history.model.rowCount())), 15,
                         "the call in history")
        row = next(r for r in range(history.model.rowCount())
                   if history.model.row_at(r).call.record_id == logid)
        view.table.selectRow(row)
        await wait_until(lambda: view.disposition_button.isEnabled()
                         and "(none)" in view.disposition_button.text(), 5, "the button")
        view.disposition_button.click()
        window = again.runtime.dispositions._windows[("c2c", logid)]
        form = window.form
        await wait_until(lambda: form.statuses.count() == 7, 5, "statuses")
        qtbot.keyClick(form.statuses, Qt.Key.Key_6)
        await wait_until(lambda: history.model.index(row, DISPOSITION_COLUMN).data()
                         .endswith("draft, not saved yet"), 5, "the draft in the table")
        qtbot.keyClick(form.statuses, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: form.state == "sent", 10, "sent")
        await wait_until(lambda: "(sent)" in view.disposition_button.text(), 5, "history label")
        cell = history.model.index(row, DISPOSITION_COLUMN)
        await wait_until(lambda: str(cell.data()).endswith("sent"), 5, "the table's column")
        assert cell.data(Qt.ItemDataRole.AccessibleTextRole).startswith("Disposition: ")
        await wait_until(lambda: again.runtime.services.dispositions.gate.value is None, 5,
                         "the gate opened")
        again.window.dial.show_message("")
        again.window.dial_requested.emit("9876543211")
        await wait_until(lambda: len(again.calls()) == 2, 10, "the next call placed")

    qloop.run(scenario())


def test_incoming_call_opens_wrap_up_and_its_pop_shows_the_state(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile())
        await wait_until(lambda: app.runtime.services is not None
                         and app.runtime.services.receiver is not None, 10, "the receiver")
        body = {"from": "09812345678", "did": "+911143104567", "ext_no": "2101",
                "outcome": "answered", "talk_seconds": "20"}
        logid = str(sandbox.control("POST", "/_sandbox/inbound", body)["logid"])
        facade = app.runtime.dispositions
        key = ("call", logid)
        await wait_until(lambda: key in facade._windows, 20, "the wrap-up window at hang-up")
        window = facade._windows[key]
        assert window.windowTitle() == "Wrap-up: +91 98123 45678, incoming call"
        pop = app.runtime.pops.windows[logid]
        assert pop.disposition_button.isVisible()
        await wait_until(lambda: pop.disposition_button.text() == "Disposition (none)…", 5,
                         "the pop's state")
        form = window.form
        await wait_until(lambda: form.statuses.count() == 7, 5, "statuses")
        qtbot.keyClick(form.statuses, Qt.Key.Key_1)
        qtbot.keyClicks(form.remark, "wants the premium plan")
        await wait_until(lambda: pop.disposition_button.text() ==
                         "Disposition (draft, not saved yet)…", 5, "the pop shows the draft")
        qtbot.keyClick(form.remark, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await wait_until(lambda: pop.disposition_button.text() == "Disposition (sent)…", 10,
                         "the pop shows it sent")
        assert pop.disposition_button.accessibleName() == "Disposition for this call: sent"
        assert [(n["record_id"], n["call_type"], n["call_remark"]) for n in notes(sandbox)
                ] == [(logid, "incoming", "wants the premium plan")]
        # The pop's own button opens the same form (one window per call).
        pop.disposition_button.click()
        assert facade._windows[key] is window

    qloop.run(scenario())


def test_dismissing_the_card_mid_typing_keeps_the_draft(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile())
        card, form = await call_and_wrap_up(app, qtbot)
        logid = card.timeline.logid
        gone: list[bool] = []
        form.destroyed.connect(lambda: gone.append(True))
        qtbot.keyClick(form.statuses, Qt.Key.Key_7)
        qtbot.keyClicks(form.remark, "send the brochure")  # within the debounce delay
        app.window.dismiss_card(card.timeline.call_id)
        await wait_until(lambda: gone, 5, "the form destroyed with its card")
        await app.runtime.dispositions.drain()
        service = app.runtime.services.dispositions
        ref = CallRef("c2c", logid, "c2c")
        draft = await service.draft(ref)
        assert draft is not None and (draft.status_id, draft.remark) == (7, "send the brochure")
        assert await service.state(ref) == ("draft", "")
        assert notes(sandbox) == []

    qloop.run(scenario())


def test_a_card_from_before_a_session_restart_still_saves(
        qloop: QtLoop, qtbot: Any, start_app: Any, sandbox: SandboxThread) -> None:
    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile())
        card, form = await call_and_wrap_up(app, qtbot)
        assert await app.runtime.restart_session()  # e.g. a setting read at start changed
        qtbot.keyClick(form.statuses, Qt.Key.Key_4)
        form.save()
        await wait_until(lambda: form.state == "sent", 10, "sent through the new session")
        assert [n["record_id"] for n in notes(sandbox)] == [card.timeline.logid]

    qloop.run(scenario())
