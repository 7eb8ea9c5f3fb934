"""The audio check dialog driven like a person would, on the real virtual device."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtWidgets import QApplication

from agentapp.audio import backend
from agentapp.qt.audio_facade import AudioTools
from agentapp.settings import AUDIO_INPUT_DEVICE, Settings
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until


@pytest.fixture(autouse=True)
def keep_running(qapp: QApplication) -> None:
    qapp.setQuitOnLastWindowClosed(False)  # as the app does: closing a dialog never quits


def tools(tmp_path: Path, load: object) -> tuple[AudioTools, Settings]:
    settings = Settings(tmp_path / "settings.json")
    return AudioTools(settings, "test", download=lambda: None, load=load), settings  # type: ignore[arg-type]


@pytest.mark.audio
def test_tone_meter_verdict_and_device_choice(qloop: QtLoop, qtbot: object, sd: ModuleType,
                                              tmp_path: Path) -> None:
    audio, settings = tools(tmp_path, lambda: sd)

    async def scenario() -> None:
        dialog = audio.open_check()
        await wait_until(lambda: dialog.controls.isEnabled() and dialog.input_box.count() > 1,
                         10, "devices listed")
        assert dialog.input_box.accessibleName().startswith("Microphone: System default")
        await wait_until(lambda: "dBFS" in dialog.level_label.text() or
                         "Silence" in dialog.level_label.text(), 10, "the meter running")
        dialog.level_box.setCurrentIndex(1)  # -20 dBFS peak = -23 dBFS RMS
        dialog.tone_button.click()
        await wait_until(lambda: dialog.tone_button.accessibleName().startswith(
            "Test tone: playing"), 10, "the tone playing")
        await wait_until(lambda: dialog.meter.level is not None
                         and abs(dialog.meter.level.rms_dbfs + 23.01) < 1.0, 10,
                         "the meter at the tone's level")
        assert "-23." in dialog.level_label.text() or "-22." in dialog.level_label.text()
        assert "dBFS RMS" in dialog.meter.accessibleName()
        await wait_until(lambda: dialog.verdict_label.text().startswith("OK"), 10, "OK")
        dialog.tone_button.click()
        await wait_until(lambda: dialog.tone_button.text() == "Play tone", 10, "tone stopped")
        await wait_until(lambda: dialog.verdict_label.text().startswith("No signal"), 10,
                         "no signal once the tone stops")
        # choosing a microphone by name is remembered
        dialog.input_box.setCurrentIndex(1)
        dialog.input_box.activated.emit(1)
        chosen = dialog.input_box.itemData(1)
        await wait_until(lambda: settings.get(AUDIO_INPUT_DEVICE) == chosen, 5, "saved")
        await wait_until(lambda: Settings(settings.path).path.exists(), 5, "written")
        dialog.accept()
        await wait_until(lambda: audio.check is None, 10, "streams closed with the dialog")

    qloop.run(scenario())


def test_without_portaudio_the_dialog_says_why_and_hides_controls(
        qloop: QtLoop, qtbot: object, tmp_path: Path) -> None:
    audio, _ = tools(tmp_path, lambda: backend.load("tests.audio.no_portaudio"))

    async def scenario() -> None:
        dialog = audio.open_check()
        await wait_until(lambda: dialog.message_label.isVisible(), 10, "the message")
        assert "PortAudio" in dialog.message_label.text()
        assert not dialog.controls.isVisible()
        assert dialog.message_label.accessibleName().startswith("Audio message: Audio is")
        dialog.accept()
        await wait_until(lambda: audio.check is None, 10, "closed")

    qloop.run(scenario())
