"""Dispositions in the window: wrap-up on the call card, from pops and history, the badge.

The only Qt code that touches the dispositions services. Every form shows the
store's state for its call (none, draft, pending, sent, failed) and is kept
current from the outbox's ``changed``; drafts are written as the agent types,
debounced, through the store's writer thread (never on the UI thread).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QScrollArea, QWidget
from shiboken6 import isValid

from agentapp.core.call import CallTimeline
from agentapp.core.phone import InvalidNumber, parse_number
from agentapp.qt.owned_tasks import OwnedTasks
from agentapp.services.disposition_outbox import OutboxCounts, RecordChange
from agentapp.services.dispositions import CallRef, Dispositions
from agentapp.services.screen_pop import PopInfo
from agentapp.store import CallRow, number_key
from agentapp.store.dispositions_repo import StatusRow
from agentapp.ui.disposition_badge import DispositionBadge, OutboxList
from agentapp.ui.disposition_form import DispositionForm, DispositionWindow, state_words
from agentapp.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 400
Key = tuple[str, str]


def ref_for_row(call: CallRow) -> CallRef | None:
    """The disposition target of a stored call; None for kinds the API takes no note for."""
    if call.kind == "masked":
        return None
    call_type = "c2c" if call.kind == "c2c" else call.kind
    if not call.record_id and call.sip_call_id:
        return CallRef("sip", call.sip_call_id, call_type, call.number,
                       sip_call_id=call.sip_call_id)
    return CallRef(call.source, call.record_id, call_type, call.number,
                   sip_call_id=call.sip_call_id)


def ref_for_pop(info: PopInfo) -> CallRef | None:
    kind, pop_id = info.request.kind, info.request.pop_id
    if kind == "incoming":
        return CallRef("call", pop_id, "incoming", info.e164)
    if kind == "outgoing":
        return CallRef("c2c", pop_id, "c2c", info.e164)
    return None


def ref_for_timeline(timeline: CallTimeline) -> CallRef:
    return CallRef("c2c", timeline.logid, "c2c", number_key(timeline.customer),
                   connected=timeline.connected_at is not None)


_KIND_WORDS = {"incoming": "incoming call", "outgoing": "outgoing call",
               "c2c": "click-to-call", "dialer": "dialer call"}


def describe(ref: CallRef) -> str:
    """``+91 98765 43210, incoming call`` (the record id when the number is unknown)."""
    try:
        who = parse_number(ref.number).display() if ref.number else ""
    except InvalidNumber:
        who = ref.number
    kind = _KIND_WORDS.get(ref.call_type, ref.call_type)
    return f"{who or 'call ' + ref.record_id}, {kind}"


def _scroll_to(widget: QWidget) -> None:
    """Bring a form on a card into view (the cards live in a scroll area)."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, QScrollArea):
        parent.ensureWidgetVisible(widget)


class DispositionFacade(QObject):
    counts_changed = Signal(int, int)  # pending, failed
    state_changed = Signal(str, str, str, str)  # source, record id, state, reason
    locals_changed = Signal()  # some call's local state changed (lists re-render)

    def __init__(self, *, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._service: Dispositions | None = None
        self._undo: list[Callable[[], None]] = []
        self._forms: dict[Key, list[DispositionForm]] = {}
        self._windows: dict[Key, DispositionWindow] = {}
        self._tasks = OwnedTasks("disposition")
        self._window: QWidget | None = None
        self.badge = DispositionBadge()
        self.badge.clicked.connect(self.open_outbox)
        self.outbox_list: OutboxList | None = None
        self._outbox_refs: list[CallRef] = []
        self.counts = OutboxCounts()
        self._latest: DispositionForm | None = None
        self._local: dict[Key, tuple[str, str]] = {}  # calls with a local state (lists)

    # -- session -------------------------------------------------------------------
    def bind(self, service: Dispositions | None) -> None:
        while self._undo:
            self._undo.pop()()
        self._service = service
        if service is None:
            self._counts(OutboxCounts())
            self._local = {}
            self.locals_changed.emit()
            return
        self._undo += [
            service.statuses.subscribe(self._statuses),
            service.outbox.changed.subscribe(self._changed),
            service.outbox.counts.subscribe(self._counts),
            service.ended.subscribe(self._ended),
        ]
        self._counts(service.outbox.counts.value)
        self._statuses(service.statuses.value)
        self._local = {}
        self._tasks.run(self._load_local(service))

    async def _load_local(self, service: Dispositions) -> None:
        local = await service.local_states()
        if service is self._service:
            self._local = {**local, **self._local}  # changes seen meanwhile are newer
            self.locals_changed.emit()

    def local_words(self, call: CallRow) -> str:
        """This computer's disposition state of a stored call in words ("" = none)."""
        ref = ref_for_row(call)
        found = self._local.get(ref.key) if ref is not None else None
        return state_words(*found) if found else ""

    @property
    def available(self) -> bool:
        return self._service is not None

    def install(self, window: MainWindow) -> None:
        """The badge in the status bar (hidden while nothing waits or failed)."""
        self._window = window
        window.statusBar().addPermanentWidget(self.badge)

    # -- where wrap-up starts ----------------------------------------------------------
    def timeline_changed(self, timeline: CallTimeline, window: MainWindow) -> None:
        """After the window rendered a timeline: an ended call's card gets the form."""
        if self._service is None or timeline.is_live or not timeline.logid:
            return
        card = window.card(timeline.call_id)
        if card is None or card.findChild(DispositionForm) is not None:
            return
        ref = ref_for_timeline(timeline)
        # Wrap-up time counts from when the app offered it: the timeline's times may come
        # from the server's clock (webhook timestamps), which need not match ours.
        form = self._form(ref, "Wrap-up")
        layout = card.layout()
        if layout is not None:
            layout.addWidget(form)
        self._latest = form
        form.shown.connect(lambda: QTimer.singleShot(0, lambda: _scroll_to(form)))

    def from_pop(self, info: PopInfo) -> None:
        ref = ref_for_pop(info)
        if ref is not None:
            self.open(ref, f"Disposition: {info.display_number}")

    def from_history(self, call: CallRow) -> None:
        ref = ref_for_row(call)
        if ref is not None:
            self.open(ref, f"Disposition: {call.number or call.number_raw}")

    def open(self, ref: CallRef, title: str) -> DispositionWindow:
        """The form in its own window (one per call), raised if already open."""
        window = self._windows.get(ref.key)
        if window is None:
            form = self._form(ref, describe(ref))
            window = DispositionWindow(title, form, self._window)
            self._windows[ref.key] = window
            window.destroyed.connect(lambda _o=None, key=ref.key: self._windows.pop(key, None))
        window.show()
        window.raise_()
        window.activateWindow()
        form = window.form
        form.statuses.setFocus()
        self._latest = form
        return window

    def focus_latest(self) -> bool:
        """Ctrl+D: the keyboard to the newest wrap-up form (card or window); False if none."""
        form = self._latest
        if form is None:
            return False
        top = form.window()
        if top is not None:
            top.raise_()
            top.activateWindow()
        _scroll_to(form)
        form.statuses.setFocus()
        return True

    def _ended(self, ref: CallRef | None) -> None:
        """A call-log call ended (inbound or outbound, from the webhook): offer wrap-up."""
        if ref is not None and ref.source == "call" and ref.connected:
            self.open(ref, f"Wrap-up: {describe(ref)}")

    # -- forms -------------------------------------------------------------------------
    def _form(self, ref: CallRef, title: str, started_at: float | None = None
              ) -> DispositionForm:
        form = DispositionForm(title, clock=self._clock, started_at=started_at)
        if self._service is not None:
            form.set_statuses([(s.id, s.name) for s in self._service.statuses.value])
            if not self._service.statuses.value:  # never fetched (offline at sign-in): try now
                self._tasks.run(self._service.refresh_statuses())
        writer = _DraftWriter(ref, self, self._service)
        form.edited.connect(writer.edited)
        form.save_requested.connect(lambda status, remark: self._save(ref, form, writer, status,
                                                                      remark))
        self._forms.setdefault(ref.key, []).append(form)
        form.destroyed.connect(lambda _o=None, key=ref.key, f=form: self._forget(key, f, writer))
        self._tasks.run(self._load(ref, form, writer))
        return form

    def _forget(self, key: Key, form: DispositionForm, writer: _DraftWriter) -> None:
        if not isValid(writer):  # the app is tearing everything down
            return
        writer.flush()  # the card was dismissed mid-typing: the last edit is kept
        writer.deleteLater()
        if self._latest is form:
            self._latest = None
        forms = self._forms.get(key, [])
        if form in forms:
            forms.remove(form)
        if not forms:
            self._forms.pop(key, None)

    async def _load(self, ref: CallRef, form: DispositionForm, writer: _DraftWriter) -> None:
        service = self._service
        if service is None:
            return
        draft = await service.draft(ref)
        state, reason = await service.state(ref)
        if draft is not None and not writer.touched:  # never overwrite what was just typed
            form.set_values(draft.status_id, draft.remark)
        form.set_state(state, reason)

    def flush_drafts(self) -> None:
        """Write every draft still waiting for its debounce (before a session closes)."""
        for writer in self.findChildren(_DraftWriter):
            writer.flush()

    def write_draft(self, writer: _DraftWriter, status: int | None, remark: str) -> None:
        if self._current(writer):
            self._tasks.run(self._draft(writer.ref, status, remark))

    def _save(self, ref: CallRef, form: DispositionForm, writer: _DraftWriter, status: int,
              remark: str) -> None:
        writer.cancel()  # a late draft write must not reopen what is being saved
        if self._current(writer) and self._service is not None:
            self._tasks.run(self._service.save(ref, status, remark))
        else:
            form.show_problem("Not saved: this call belongs to an account you have signed "
                              "out of. Sign in to it again to save its disposition.")

    def _current(self, writer: _DraftWriter) -> bool:
        """A form belongs to the account (store) it was opened with: after a session restart
        it still saves; after signing in to another server its call is not this account's,
        so nothing it says is written to this store."""
        current, opened = self._service, writer.service
        if current is not None and opened is not None and (
                opened is current or opened.store_path == current.store_path):
            return True
        log.warning("a wrap-up form from an earlier session was not written")
        return False

    async def _draft(self, ref: CallRef, status: int | None, remark: str) -> None:
        service = self._service
        if service is not None:
            await service.save_draft(ref, status, remark)
            state, reason = await service.state(ref)
            self._changed(RecordChange(ref.source, ref.record_id, state, reason))

    # -- service updates ------------------------------------------------------------------
    def _statuses(self, statuses: tuple[StatusRow, ...]) -> None:
        pairs = [(s.id, s.name) for s in statuses]
        for forms in self._forms.values():
            for form in forms:
                form.set_statuses(pairs)

    def _changed(self, change: RecordChange | None) -> None:
        if change is None:
            return
        for form in self._forms.get((change.source, change.record_id), []):
            form.set_state(change.state, change.reason)
        key = (change.source, change.record_id)
        if change.state == "none":
            self._local.pop(key, None)
        else:
            self._local[key] = (change.state, change.reason)
        self.locals_changed.emit()
        self.state_changed.emit(change.source, change.record_id, change.state, change.reason)
        if self.outbox_list is not None and self.outbox_list.isVisible():
            self._tasks.run(self._fill_outbox())

    def _counts(self, counts: OutboxCounts) -> None:
        self.counts = counts
        self.badge.set_counts(counts.pending, counts.failed)
        self.counts_changed.emit(counts.pending, counts.failed)

    # -- state words for pops and history ----------------------------------------------
    async def state_text(self, ref: CallRef) -> str:
        if self._service is None:
            return ""
        state, reason = await self._service.state(ref)
        return state_words(state, reason)

    # -- the list behind the badge ------------------------------------------------------
    def open_outbox(self) -> OutboxList:
        if self.outbox_list is None:
            self.outbox_list = OutboxList(self._window)
            self.outbox_list.open_requested.connect(self._open_outbox_row)
        self.outbox_list.show()
        self.outbox_list.raise_()
        self._tasks.run(self._fill_outbox())
        return self.outbox_list

    async def _fill_outbox(self) -> None:
        service = self._service
        if service is None or self.outbox_list is None:
            return
        refs = await service.undelivered()
        lines = []
        for ref in refs:
            state, reason = await service.state(ref)
            lines.append(f"{describe(ref)}: {state_words(state, reason)}")
        self._outbox_refs = refs
        if self.outbox_list is not None:
            self.outbox_list.show_items(lines)

    def _open_outbox_row(self, row: int) -> None:
        if 0 <= row < len(self._outbox_refs):
            ref = self._outbox_refs[row]
            self.open(ref, f"Disposition: {describe(ref)}")

    # -- tasks ------------------------------------------------------------------------
    async def settled_counts(self) -> OutboxCounts:
        """Counts after every edit and save already made has reached the store."""
        self.flush_drafts()
        await self.drain()
        if self._service is not None:
            self._counts(await self._service.outbox.refresh_counts())
        return self.counts

    async def drain(self) -> None:
        """Wait for the store writes already started (draft writes, saves)."""
        await self._tasks.drain()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._tasks.run(coro)


class _DraftWriter(QObject):
    """Debounces one form's edits into draft writes; owned by the facade, not the form,
    so a pending write survives the form (a dismissed card) and is flushed."""

    def __init__(self, ref: CallRef, facade: DispositionFacade,
                 service: Dispositions | None) -> None:
        super().__init__(facade)
        self.ref = ref
        self.service = service
        self._facade = facade
        self._values: tuple[int | None, str] | None = None
        self.touched = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def edited(self, status: int | None, remark: str) -> None:
        self.touched = True
        self._values = (status, remark)
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._values is not None:
            status, remark = self._values
            self._values = None
            self._facade.write_draft(self, status, remark)

    def cancel(self) -> None:
        self._timer.stop()
        self._values = None
