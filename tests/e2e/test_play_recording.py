"""Recent calls → Play recording: the sandbox's MP3 downloaded, decoded and played."""

from __future__ import annotations

import pytest

from agentapp.sandbox import SandboxConfig
from agentapp.ui.player import PlayerDialog
from testkit.qt_loop import QtLoop
from testkit.strict import need_service
from testkit.waiting import wait_until
from tests.audio.conftest import pulse_running


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(host="127.0.0.1", port=0, seed=5, speed=60.0, history=400)


def rows_by_recording(panel: object) -> tuple[int | None, int | None]:
    """Recent calls' rows (the history store's model) with and without a recording."""
    model = panel.model  # type: ignore[attr-defined]
    calls = [model.row_at(r).call for r in range(model.rowCount())]
    with_rec = next((r for r, c in enumerate(calls)
                     if c.recording_url and c.duration_s >= 8), None)
    without = next((r for r, c in enumerate(calls) if not c.recording_url), None)
    return with_rec, without


def test_play_is_offered_only_for_calls_with_a_recording(qloop: QtLoop, qtbot: object,
                                                         start_app: object) -> None:
    async def scenario() -> None:
        app = await start_app()  # type: ignore[operator]
        panel = app.window.recent
        await wait_until(lambda: None not in rows_by_recording(panel), 30,
                         "calls with and without a recording (the sync fills Recent calls)")
        with_rec, without = rows_by_recording(panel)
        assert with_rec is not None and without is not None
        assert not panel.play_button.isEnabled()
        assert panel.play_button.accessibleName().endswith("none selected")
        panel.table.selectRow(without)
        assert not panel.play_button.isEnabled()
        assert "has no recording" in panel.play_button.accessibleName()
        panel.table.selectRow(with_rec)
        assert panel.play_button.isEnabled()

    qloop.run(scenario())


@pytest.mark.audio
def test_play_recording_from_recent_calls(qloop: QtLoop, qtbot: object,
                                          start_app: object) -> None:
    need_service(pulse_running(), "PulseAudio null sink ci_sink")

    async def scenario() -> None:
        app = await start_app()  # type: ignore[operator]
        panel = app.window.recent
        await wait_until(lambda: None not in rows_by_recording(panel), 30,
                         "calls with and without a recording (the sync fills Recent calls)")
        row, _ = rows_by_recording(panel)
        assert row is not None
        record = panel.model.row_at(row).call
        panel.table.selectRow(row)
        panel.play_button.click()
        tools = app.runtime.audio
        await wait_until(lambda: tools.player is not None, 5, "the player window")
        dialog = tools.player.parent()
        assert isinstance(dialog, PlayerDialog) and dialog.isVisible()
        widget = dialog.player
        await wait_until(lambda: widget.state_label.text() == "Ready to play", 15,
                         "downloaded and decoded")
        assert widget.time_label.text().endswith(
            f"{record.duration_s // 60}:{record.duration_s % 60:02d}")
        widget.play_button.click()
        await wait_until(lambda: widget.play_button.text() == "Pause", 5, "playing")
        assert widget.play_button.accessibleName() == "Pause the recording"
        await wait_until(lambda: widget.slider.value() > 0, 10, "the position moving")
        widget.speed_box.setCurrentIndex(2)
        widget.speed_box.activated.emit(2)
        await wait_until(lambda: tools.player.player.speed.value == 2.0, 10, "2x")
        assert widget.speed_box.accessibleName() == "Playback speed: 2×"
        widget.slider.setValue(widget.slider.maximum() - 10)  # one second before the end
        widget.slider.sliderReleased.emit()
        await wait_until(lambda: widget.state_label.text() == "Finished", 10, "the end")
        dialog.accept()
        await wait_until(lambda: tools.player is None, 10, "player closed")

    qloop.run(scenario())


def test_tools_menu_and_tray_open_the_audio_check(qloop: QtLoop, qtbot: object,
                                                  start_app: object) -> None:
    async def scenario() -> None:
        app = await start_app()  # type: ignore[operator]
        menus = {a.text(): a for a in app.window.menuBar().actions()}
        tools_menu = menus["&Tools"].menu()
        assert [a.text() for a in tools_menu.actions()] == ["&Audio check…"]
        app.window.audio_check_action.trigger()
        audio = app.runtime.audio
        await wait_until(lambda: audio.check is not None, 5, "the audio check")
        dialog = audio.check.parent()
        assert dialog.isVisible() and dialog.windowTitle() == "Audio check"
        # devices listed, or (no PortAudio here) the reason in words: never stuck
        await wait_until(lambda: dialog.controls.isEnabled() or dialog.message_label.text(),
                         10, "the check started")
        dialog.accept()
        await wait_until(lambda: audio.check is None, 10, "closed")
        tray = app.runtime.presence.tray if app.runtime.presence else None
        if tray is not None:  # only where a system tray exists
            texts = [a.text() for a in tray.contextMenu().actions()]
            assert "Audio check…" in texts

    qloop.run(scenario())


def test_closing_the_player_while_downloading_abandons_the_download(
        qloop: QtLoop, qtbot: object, start_app: object) -> None:
    async def scenario() -> None:
        app = await start_app()  # type: ignore[operator]
        panel = app.window.recent
        await wait_until(lambda: None not in rows_by_recording(panel), 30,
                         "calls with and without a recording (the sync fills Recent calls)")
        row, _ = rows_by_recording(panel)
        assert row is not None
        app.sandbox.control("POST", "/_sandbox/faults",
                            {"latency_ms": 5000, "paths": ["/monitor/"], "count": 1})
        panel.table.selectRow(row)
        panel.play_button.click()
        tools = app.runtime.audio
        await wait_until(lambda: tools.player is not None, 5, "the player window")
        dialog = tools.player.parent()
        await wait_until(lambda: dialog.player.state_label.text().startswith("Downloading"),
                         5, "downloading")
        dialog.reject()
        await wait_until(lambda: tools.player is None, 3, "closed without waiting 5 s")

    qloop.run(scenario())
