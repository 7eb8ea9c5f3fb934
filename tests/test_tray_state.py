"""The tray's look and words (issue 15.3): decided together, and told apart without colour."""

from __future__ import annotations

from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QApplication

from agentapp.core.call import CallTimeline, Phase
from agentapp.qt.tray_text import tray_look
from agentapp.resources import icon
from agentapp.services.connectivity import ConnState
from agentapp.ui.tray_icons import TrayLook, tray_pixmap


def _grey(base: QIcon, look: TrayLook, size: int) -> QImage:
    return tray_pixmap(base, look, size).toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def test_every_look_differs_in_shape_not_only_colour(qapp: QApplication) -> None:
    for dark in (False, True):
        base = icon("app", dark)
        for size in (16, 32):
            images = {look: _grey(base, look, size) for look in TrayLook}
            looks = list(images)
            for i, a in enumerate(looks):
                for b in looks[i + 1:]:
                    assert images[a] != images[b], f"{a} and {b} look alike in grey at {size}px"


def _timeline(phase: Phase) -> CallTimeline:
    return CallTimeline(call_id="c1", logid="l1", ext_no="2101", customer="+919876543210",
                        phase=phase, started_at=0.0, phase_since=0.0)


def test_a_call_beats_the_connection_and_pending_marks_only_an_idle_online_tray() -> None:
    online = tray_look(True, ConnState.ONLINE, [])
    assert (online.words, online.look) == ("Online", TrayLook.ONLINE)
    pending = tray_look(True, ConnState.ONLINE, [], unsent=1)
    assert (pending.words, pending.look) == ("Online · dispositions to send", TrayLook.PENDING)
    offline = tray_look(True, ConnState.OFFLINE, [], unsent=1)
    assert (offline.words, offline.look) == ("Offline", TrayLook.OFFLINE)
    assert tray_look(True, ConnState.CHECKING, []).look is TrayLook.OFFLINE
    assert tray_look(True, ConnState.DEGRADED, []).look is TrayLook.ONLINE
    assert tray_look(False, ConnState.ONLINE, []).words == "Not signed in"
    ringing = tray_look(True, ConnState.ONLINE, [_timeline(Phase.RINGING_CUSTOMER)], unsent=3)
    assert (ringing.words, ringing.look) == ("Ringing", TrayLook.RINGING)
    on_call = tray_look(False, ConnState.OFFLINE, [_timeline(Phase.CONNECTED)])
    assert (on_call.words, on_call.look) == ("On a call", TrayLook.ON_CALL)
    paused = tray_look(True, ConnState.OFFLINE, [], pops_paused=True)
    assert (paused.words, paused.look) == ("Offline · Pop-ups paused", TrayLook.OFFLINE)
