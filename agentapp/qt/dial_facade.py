"""Qt face of the dialing service: one slot to dial, signals for what happened."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from agentapp.qt.bridge import Subscriptions
from agentapp.services.dialing import DialingService, DialRefused, NeedsConfirmation

log = logging.getLogger(__name__)


class DialFacade(QObject):
    busy_changed = Signal(bool)
    refused = Signal(str)
    # The same refusal, and whether it is about the connection (stale once it is back).
    refusal = Signal(str, bool)
    confirm_needed = Signal(str, str, str)  # target, title, question
    placed = Signal(object)  # CallTimeline of the new call

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service: DialingService | None = None
        self._subs = Subscriptions()
        # Per target, the questions already answered "yes" while a later one is asked.
        self._confirmed: dict[str, frozenset[str]] = {}

    def bind(self, service: DialingService | None) -> None:
        self._subs.clear()
        self._confirmed.clear()
        self._service = service
        if service is not None:
            self._subs.add(service.busy, self.busy_changed.emit)
        self.busy_changed.emit(False)

    @asyncSlot(str)
    async def dial(self, target: str) -> None:
        """A fresh request: every question is asked again."""
        self._confirmed.pop(target, None)
        await self._dial(target, frozenset())

    @asyncSlot(str)
    async def dial_confirmed(self, target: str) -> None:
        """The agent said yes to the last question asked about ``target``."""
        await self._dial(target, self._confirmed.pop(target, frozenset()))

    async def _dial(self, target: str, confirmed: frozenset[str]) -> None:
        if self._service is None:
            self._refuse("Sign in first: no account is connected.", False)
            return
        try:
            timeline = await self._service.dial(target, confirmed=confirmed)
        except NeedsConfirmation as exc:
            self._confirmed[target] = confirmed | {exc.code}
            self.confirm_needed.emit(target, exc.title, exc.message)
        except DialRefused as exc:
            log.info("dial refused: %s", exc.code)
            self._refuse(exc.message, exc.about_connection)
        else:
            self.placed.emit(timeline)

    def _refuse(self, message: str, about_connection: bool) -> None:
        self.refused.emit(message)
        self.refusal.emit(message, about_connection)
