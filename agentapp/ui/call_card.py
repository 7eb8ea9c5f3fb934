"""The live two-leg call card: who, where the call is, how long, what next.

It only renders a ``CallTimeline`` (pure data from ``core.call``) and emits
what the agent asked for; it never decides call state itself.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.core.call import CallTimeline, EndReason, Phase
from agentapp.ui.style import named

_LEG_STEPS = (Phase.RINGING_AGENT, Phase.RINGING_CUSTOMER, Phase.CONNECTED, Phase.ENDED)
_RETRY_CUSTOMER = {EndReason.CUSTOMER_BUSY, EndReason.CUSTOMER_NO_ANSWER}


def format_duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def step_text(phase: Phase, timeline: CallTimeline, now: float) -> str:
    """The words for one step of the card, filled in with what we know."""
    if phase is Phase.RINGING_AGENT:
        ext = f" (ext {timeline.ext_no})" if timeline.ext_no else ""
        return f"Ringing your phone{ext}"
    if phase is Phase.RINGING_CUSTOMER:
        return "Ringing customer"
    if phase is Phase.CONNECTED:
        if timeline.connected_at is None:
            return "Connected"
        if timeline.phase is Phase.ENDED:
            end = timeline.ended_at or now
            seconds = timeline.duration_s if timeline.duration_s else end - timeline.connected_at
        else:
            seconds = now - timeline.connected_at
        return f"Connected {format_duration(seconds)}"
    if timeline.phase is Phase.ENDED:
        return f"Ended: {timeline.status_text}"
    return "Ended"


class CallCard(QFrame):
    """One call. Signals carry the customer number back to the dialing facade."""

    call_again = Signal(str)
    dismissed = Signal(str)

    def __init__(self, timeline: CallTimeline, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CallCard")
        self.setAccessibleName("Current call")
        self._timeline = timeline
        self._title = named(QLabel(), "CallCardTitle")
        self._status = named(QLabel(), "CallCardStatus")
        self._status.setAccessibleName("Call status")
        self._steps = [QLabel() for _ in _LEG_STEPS]
        self._retry = QPushButton("Retry customer")
        self._again = QPushButton("Call again")
        self._dispose = QPushButton("Disposition…")
        self._dispose.setEnabled(False)
        self._dispose.setToolTip("Dispositions arrive in the next release")
        self._close = QPushButton("Dismiss")
        self._hint = named(QLabel(), "Banner")
        self._hint.setWordWrap(True)
        for button, name in ((self._retry, "Retry customer"), (self._again, "Call again"),
                             (self._dispose, "Log disposition"), (self._close, "Dismiss call")):
            button.setAccessibleName(name)
        self._retry.clicked.connect(lambda: self.call_again.emit(self._timeline.customer))
        self._again.clicked.connect(lambda: self.call_again.emit(self._timeline.customer))
        self._close.clicked.connect(lambda: self.dismissed.emit(self._timeline.call_id))
        self._layout()
        self._ticker = QTimer(self, interval=1000)
        self._ticker.timeout.connect(self._render)
        self.update_timeline(timeline)

    def _layout(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 14)
        box.addWidget(self._title)
        box.addWidget(self._status)
        for label in self._steps:
            label.setTextFormat(Qt.TextFormat.PlainText)
            box.addWidget(label)
        box.addWidget(self._hint)
        row = QHBoxLayout()
        for button in (self._retry, self._again, self._dispose):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self._close)
        box.addLayout(row)

    @property
    def timeline(self) -> CallTimeline:
        return self._timeline

    def update_timeline(self, timeline: CallTimeline) -> None:
        self._timeline = timeline
        if timeline.is_live and timeline.phase is Phase.CONNECTED:
            self._ticker.start()
        else:
            self._ticker.stop()
        self._render()

    def _render(self) -> None:
        tl, now = self._timeline, time.time()
        self._title.setText(tl.customer)
        self._status.setText(tl.status_text)
        reached = tl.phase
        for phase, label in zip(_LEG_STEPS, self._steps, strict=True):
            done = phase <= reached and phase is not Phase.STARTING
            mark = "●" if phase == reached and tl.is_live else ("✓" if done else "○")
            label.setText(f"{mark}  {step_text(phase, tl, now)}")
            label.setObjectName("StepDone" if done else "StepPending")
            label.style().unpolish(label)
            label.style().polish(label)
        ended = tl.phase is Phase.ENDED
        self._retry.setVisible(ended and tl.end_reason in _RETRY_CUSTOMER)
        self._again.setVisible(ended and tl.end_reason not in _RETRY_CUSTOMER)
        self._dispose.setVisible(ended and tl.connected_at is not None)
        self._close.setVisible(ended)
        if tl.phase in (Phase.STARTING, Phase.RINGING_AGENT):
            self._hint.setText("Answer your phone: the customer is dialled once you pick up. "
                               "To cancel, reject the call on your phone.")
        elif tl.phase is Phase.RINGING_CUSTOMER:
            self._hint.setText("Stay on the line: the customer's phone is ringing.")
        else:
            self._hint.setText("")
        self._hint.setVisible(bool(self._hint.text()))
