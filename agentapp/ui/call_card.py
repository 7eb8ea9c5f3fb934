"""The live two-leg call card: who, where the call is, how long, what next.

A passive view: ``core.call_view.present`` decides every word from the
``CallTimeline``; the card only shows it, re-renders once a second while a
timer counts, and emits what the agent asked for. Each step label carries its
state in its text and accessible name ("Connected: not reached"); the glyph
in front is decoration only.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.core.call import CallTimeline
from agentapp.core.call_view import (
    STEP_ORDER,
    CardView,
    StepState,
    present,
)
from agentapp.ui.style import named

_STEP_STYLE = {
    StepState.DONE: "StepDone",
    StepState.ACTIVE: "StepActive",
    StepState.FAILED: "StepFailed",
    StepState.NOT_REACHED: "StepPending",
    StepState.UNKNOWN: "StepPending",
}


class CallCard(QFrame):
    """One call. Signals carry the customer number back to the dialing facade.

    ``clock`` must be the clock the timeline's times come from (the tracker's).
    """

    call_again = Signal(str)
    dismissed = Signal(str)

    def __init__(self, timeline: CallTimeline, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(parent)
        self.setObjectName("CallCard")
        self._clock = clock
        self._timeline = timeline
        self._view: CardView | None = None
        self._title = named(QLabel(), "CallCardTitle")
        self.status_label = named(QLabel(), "CallCardStatus")
        self.status_label.setWordWrap(True)
        self._step_labels = tuple(QLabel() for _ in STEP_ORDER)
        self.retry_button = QPushButton("Retry customer")
        self.again_button = QPushButton("Call again")
        self.dismiss_button = QPushButton("Dismiss")
        self._hint = named(QLabel(), "Banner")
        self._hint.setWordWrap(True)
        self._retry_again_names()
        self.retry_button.clicked.connect(lambda: self.call_again.emit(self._timeline.customer))
        self.again_button.clicked.connect(lambda: self.call_again.emit(self._timeline.customer))
        self.dismiss_button.clicked.connect(lambda: self.dismissed.emit(self._timeline.call_id))
        self._layout()
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._render)
        self.update_timeline(timeline)

    def _retry_again_names(self) -> None:
        number = self._timeline.customer
        self.retry_button.setAccessibleName(f"Retry customer {number}")
        self.again_button.setAccessibleName(f"Call {number} again")
        self.dismiss_button.setAccessibleName(f"Dismiss the call to {number}")

    def _layout(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 14)
        box.addWidget(self._title)
        box.addWidget(self.status_label)
        for label in self._step_labels:
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)  # a 360 px sidebar has no room for the longest step
            box.addWidget(label)
        box.addWidget(self._hint)
        row = QHBoxLayout()
        for button in (self.retry_button, self.again_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.dismiss_button)
        box.addLayout(row)

    # -- public read API (tests, bench, accessibility checks) ---------------------

    @property
    def timeline(self) -> CallTimeline:
        return self._timeline

    @property
    def view(self) -> CardView:
        """What the card shows now, as plain data."""
        assert self._view is not None
        return self._view

    def buttons(self) -> list[QPushButton]:
        """In Tab order (hidden ones are skipped by Tab)."""
        return [self.retry_button, self.again_button, self.dismiss_button]

    def step_states(self) -> tuple[StepState, ...]:
        return tuple(step.state for step in self.view.steps)

    def step_texts(self) -> tuple[str, ...]:
        """The step labels as displayed (glyph, then the state in words)."""
        return tuple(label.text() for label in self._step_labels)

    def step_accessible_names(self) -> tuple[str, ...]:
        return tuple(label.accessibleName() for label in self._step_labels)

    def status_text(self) -> str:
        return self.status_label.text()

    def is_ticking(self) -> bool:
        return self._ticker.isActive()

    # -- rendering -------------------------------------------------------------------

    def update_timeline(self, timeline: CallTimeline) -> None:
        self._timeline = timeline
        self._render()

    def refresh(self) -> None:
        """Render again with the clock's current time (the ticker does this every second)."""
        self._render()

    def _render(self) -> None:
        view = present(self._timeline, self._clock())
        self._view = view
        self.setAccessibleName(view.name)
        self._title.setText(view.title)
        self._title.setAccessibleName(view.name)
        self.status_label.setText(view.status)
        self.status_label.setAccessibleName(f"Call status: {view.status}")
        for step, label in zip(view.steps, self._step_labels, strict=True):
            label.setText(f"{step.glyph}  {step.text}")
            label.setAccessibleName(step.text)
            if label.objectName() != _STEP_STYLE[step.state]:
                label.setObjectName(_STEP_STYLE[step.state])
                label.style().unpolish(label)
                label.style().polish(label)
        self.retry_button.setVisible(view.retry_customer)
        self.again_button.setVisible(view.call_again)
        self.dismiss_button.setVisible(view.dismiss)
        self._hint.setText(view.hint)
        self._hint.setAccessibleName(view.hint)
        self._hint.setVisible(bool(view.hint))
        if view.ticking and not self._ticker.isActive():
            self._ticker.start()
        elif not view.ticking:
            self._ticker.stop()
