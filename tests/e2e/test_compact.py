"""Compact sidebar (issue 15.4): 360 px wide, nothing clipped, nothing outside, remembered."""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from agentapp.core.call import Phase
from agentapp.sandbox import SandboxConfig
from agentapp.settings import UI_COMPACT
from agentapp.ui.main_window import MainWindow
from testkit.apps import StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=3, speed=40.0, history=20)


def _visible(window: MainWindow) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget)
            if w.isVisible() and not w.isWindow() and w.window() is window]


def clipped(window: MainWindow) -> list[str]:
    """Visible labels and buttons whose text does not fit, and widgets outside the window."""
    problems = []
    frame = window.rect()
    for widget in _visible(window):
        where = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        viewport = widget.parentWidget()
        inside_scroll = viewport is not None and viewport.objectName() == "qt_scrollarea_viewport"
        if not frame.contains(where) and not inside_scroll:
            problems.append(f"{type(widget).__name__} {widget.accessibleName()!r} at {where}")
        if isinstance(widget, QLabel) and widget.text().strip() and not widget.wordWrap():
            fmt = widget.textFormat()
            rich = fmt == Qt.TextFormat.RichText or (
                fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(widget.text()))
            needed, room = (widget.sizeHint().width(), widget.width()) if rich else (
                max(widget.fontMetrics().horizontalAdvance(line)
                    for line in widget.text().splitlines()), widget.contentsRect().width())
            if needed > room:
                problems.append(f"label {widget.text()!r}: {needed} > {room}")
        if isinstance(widget, QAbstractButton) and widget.text() \
                and widget.sizeHint().width() > widget.width():
            problems.append(f"button {widget.text()!r}: {widget.sizeHint().width()} > "
                            f"{widget.width()}")
    return problems


def test_compact_sidebar_at_360_px_clips_nothing_and_is_remembered(
        qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        window = app.window
        window.compact_action.trigger()
        assert window.is_compact() and window.minimumWidth() <= 360
        window.resize(360, 740)
        window.dial.number.setText("098765 43210")
        window.dial.call_button.click()
        await wait_until(lambda: window.cards()
                         and window.cards()[0].timeline.phase is Phase.ENDED, 20, "the call")
        await wait_until(lambda: app.runtime.history.recent_model.rowCount() > 0, 20,
                         "recent calls")
        window.dial.show_message("No phone number found in “Customer wants a callback…”.")
        await wait_until(lambda: window.width() == 360, 5, "the 360 px window")
        assert clipped(window) == []
        pills = [w for w in window.status.findChildren(QAbstractButton) if w.isVisible()]
        assert window.status.height() < sum(p.height() for p in pills)  # they share lines
        card, table = window.cards()[0], window.recent.table
        y_of = lambda w: w.mapTo(window, w.rect().topLeft()).y()  # noqa: E731
        cards_area = card.parentWidget()
        while cards_area is not None and not isinstance(cards_area, QScrollArea):
            cards_area = cards_area.parentWidget()
        assert cards_area is not None
        # stacked, in this order (the card itself may be scrolled within its area)
        assert y_of(window.dial.number) < y_of(cards_area) < y_of(table)
        assert app.runtime.settings.get(UI_COMPACT)
        profile = app.profile
        await app.stop()
        again = await start_app("--profile", profile)
        assert again.window.is_compact()
        again.window.compact_action.trigger()
        assert not again.window.is_compact() and again.window.minimumWidth() >= 760
    qloop.run(scenario())


def test_normal_layout_at_1366_clips_nothing(qloop: QtLoop, start_app: StartApp) -> None:
    async def scenario() -> None:
        app = await start_app()
        app.window.resize(1366, 740)
        await wait_until(lambda: app.window.width() == 1366, 5, "the 1366 px window")
        assert clipped(app.window) == []
    qloop.run(scenario())
