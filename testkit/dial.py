"""What the app's dial facade answered, recorded from its signals.

Each dial request ends in exactly one outcome (placed, refused, or a question),
so a test waits for the number of outcomes it caused instead of sleeping and
counting calls. ``started`` records each dial that got past the guards (the
service goes busy synchronously as it starts one), which is how a test tells
that an answer of No started nothing.
"""

from __future__ import annotations

from agentapp.core.call import CallTimeline
from agentapp.qt.dial_facade import DialFacade


class DialOutcomes:
    def __init__(self, facade: DialFacade) -> None:
        self.placed: list[CallTimeline] = []
        self.refused: list[str] = []
        self.questions: list[tuple[str, str]] = []  # (title, question)
        self.started = 0
        facade.placed.connect(self.placed.append)
        facade.refused.connect(self.refused.append)
        facade.confirm_needed.connect(
            lambda _target, title, text: self.questions.append((title, text)))
        facade.busy_changed.connect(self._busy)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.started += 1

    @property
    def count(self) -> int:
        """Requests answered so far (placed + refused + asked)."""
        return len(self.placed) + len(self.refused) + len(self.questions)
