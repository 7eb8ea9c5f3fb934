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
    confirm_needed = Signal(str, str)  # target, question
    placed = Signal(object)  # CallTimeline of the new call

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service: DialingService | None = None
        self._subs = Subscriptions()

    def bind(self, service: DialingService | None) -> None:
        self._subs.clear()
        self._service = service
        if service is not None:
            self._subs.add(service.busy, self.busy_changed.emit)
        self.busy_changed.emit(False)

    @asyncSlot(str)
    async def dial(self, target: str) -> None:
        await self._dial(target, confirmed=False)

    @asyncSlot(str)
    async def dial_confirmed(self, target: str) -> None:
        await self._dial(target, confirmed=True)

    async def _dial(self, target: str, *, confirmed: bool) -> None:
        if self._service is None:
            self.refused.emit("Sign in first: no account is connected.")
            return
        try:
            timeline = await self._service.dial(target, confirmed_outside_hours=confirmed)
        except NeedsConfirmation as exc:
            self.confirm_needed.emit(target, exc.message)
        except DialRefused as exc:
            log.info("dial refused: %s", exc.code)
            self.refused.emit(exc.message)
        else:
            self.placed.emit(timeline)
