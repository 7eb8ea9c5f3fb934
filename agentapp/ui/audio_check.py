"""The audio check dialog: devices, live meter, test tone, hear yourself, record test.

Passive: it asks through signals and renders what it is told. Every control's
accessible name carries its state ("Test tone: playing", "Microphone: USB
Headset"), and the verdict is a sentence, never a colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentapp.audio.devices import Choice, Device
from agentapp.audio.dsp import Level
from agentapp.audio.verdict import explain
from agentapp.ui.level_meter import LevelMeter, level_text

FREQUENCIES = (250.0, 440.0, 1000.0, 3000.0)
LEVELS = (-30.0, -20.0, -12.0, -6.0)
SIDES = (("Both ears", "both"), ("Left only", "left"), ("Right only", "right"))
CEILINGS = (-24.0, -18.0, -12.0)
DEFAULT_NAME = ""  # the combo's "system default" entry


def _combo(name: str, items: list[tuple[str, object]], current: int = 0) -> QComboBox:
    box = QComboBox()
    for text, data in items:
        box.addItem(text, data)
    box.setCurrentIndex(current)
    box.setAccessibleName(f"{name}: {box.currentText()}")
    box.currentIndexChanged.connect(
        lambda _i: box.setAccessibleName(f"{name}: {box.currentText()}"))
    return box


class AudioCheckDialog(QDialog):
    input_chosen = Signal(str)
    output_chosen = Signal(str)
    refresh_requested = Signal()
    tone_requested = Signal(float, float, str)
    tone_stop_requested = Signal()
    loopback_requested = Signal(float)
    loopback_stop_requested = Signal()
    record_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audio check")
        self.setMinimumWidth(520)
        self._tone_on = False
        self._loopback_on = False
        self._rendering = False
        self.input_box = QComboBox()
        self.output_box = QComboBox()
        self.refresh_button = QPushButton("Refresh devices")
        self.refresh_button.setAccessibleName("Refresh the device lists")
        self.meter = LevelMeter()
        self.level_label = QLabel(level_text(None))
        self.level_label.setAccessibleName("Microphone level")
        self.verdict_label = QLabel("")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setAccessibleName("Microphone verdict")
        self.message_label = QLabel("")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Audio message")
        self.message_label.hide()
        self.freq_box = _combo("Tone frequency", [(f"{f:g} Hz", f) for f in FREQUENCIES], 2)
        self.level_box = _combo("Tone level", [(f"{v:g} dBFS", v) for v in LEVELS], 1)
        self.side_box = _combo("Tone side", [(t, s) for t, s in SIDES])
        self.tone_button = QPushButton()
        self.ceiling_box = _combo("Hear-yourself level limit",
                                  [(f"at most {c:g} dBFS", c) for c in CEILINGS], 1)
        self.loopback_button = QPushButton()
        self.record_button = QPushButton("Record 5 seconds and play back")
        self.record_label = QLabel("")
        self.record_label.setWordWrap(True)
        self.record_label.setAccessibleName("Record test")
        self.starting_label = QLabel("Opening the audio devices…")
        self._build()
        self._connect()
        self.show_tone(False)
        self.show_loopback(False)
        self.show_record("", "")
        self.show_starting()  # nothing works until the devices are listed

    def _build(self) -> None:
        devices = QFormLayout()
        devices.addRow("Microphone", self.input_box)
        devices.addRow("Speaker", self.output_box)
        refresh_row = QHBoxLayout()
        refresh_row.addStretch(1)
        refresh_row.addWidget(self.refresh_button)
        devices.addRow(refresh_row)
        meter_box = QGroupBox("Microphone level")
        meter_col = QVBoxLayout(meter_box)
        meter_col.addWidget(self.meter)
        meter_col.addWidget(self.level_label)
        meter_col.addWidget(self.verdict_label)
        tone_box = QGroupBox("Speaker test tone")
        tone_row = QHBoxLayout(tone_box)
        for widget in (self.freq_box, self.level_box, self.side_box, self.tone_button):
            tone_row.addWidget(widget)
        loop_box = QGroupBox("Hear yourself")
        loop_row = QHBoxLayout(loop_box)
        loop_row.addWidget(QLabel("Limit"))
        loop_row.addWidget(self.ceiling_box)
        loop_row.addStretch(1)
        loop_row.addWidget(self.loopback_button)
        record_box = QGroupBox("Record test")
        record_col = QVBoxLayout(record_box)
        record_col.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignLeft)
        record_col.addWidget(self.record_label)
        self.controls = QWidget()
        col = QVBoxLayout(self.controls)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(devices)
        for box in (meter_box, tone_box, loop_box, record_box):
            col.addWidget(box)
        close = QPushButton("Close")
        close.setAccessibleName("Close the audio check")
        close.clicked.connect(self.accept)
        root = QVBoxLayout(self)
        root.addWidget(self.starting_label)
        root.addWidget(self.message_label)
        root.addWidget(self.controls)
        root.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def _connect(self) -> None:
        self.input_box.activated.connect(
            lambda _i: self.input_chosen.emit(self.input_box.currentData() or DEFAULT_NAME))
        self.output_box.activated.connect(
            lambda _i: self.output_chosen.emit(self.output_box.currentData() or DEFAULT_NAME))
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.tone_button.clicked.connect(self._toggle_tone)
        for box in (self.freq_box, self.level_box, self.side_box):
            box.currentIndexChanged.connect(self._retune)
        self.loopback_button.clicked.connect(self._toggle_loopback)
        self.record_button.clicked.connect(self.record_requested)

    # -- asks ---------------------------------------------------------------------
    def _tone_args(self) -> tuple[float, float, str]:
        return (float(self.freq_box.currentData()), float(self.level_box.currentData()),
                str(self.side_box.currentData()))

    def _toggle_tone(self) -> None:
        if self._tone_on:
            self.tone_stop_requested.emit()
        else:
            self.tone_requested.emit(*self._tone_args())

    def _retune(self) -> None:
        if self._tone_on:
            self.tone_requested.emit(*self._tone_args())

    def _toggle_loopback(self) -> None:
        if self._loopback_on:
            self.loopback_stop_requested.emit()
        else:
            self.loopback_requested.emit(float(self.ceiling_box.currentData()))

    # -- rendering -------------------------------------------------------------------
    def show_starting(self) -> None:
        self.starting_label.show()
        self.controls.setEnabled(False)

    def show_unavailable(self, message: str) -> None:
        """No audio at all: say why; the controls that cannot work are not shown."""
        self.starting_label.hide()
        self.controls.hide()
        self.show_message(message or "Audio is unavailable on this computer.")

    def show_devices(self, devices: list[Device], mic: Choice | None, speaker: Choice | None,
                     chosen: tuple[str, str] = ("", "")) -> None:
        """``chosen``: the (input, output) names the agent picked, "" = system default."""
        self.starting_label.hide()
        self.controls.setEnabled(True)
        for box, kind, choice, label, name in (
                (self.input_box, "input", mic, "Microphone", chosen[0]),
                (self.output_box, "output", speaker, "Speaker", chosen[1])):
            box.blockSignals(True)
            box.clear()
            box.addItem("System default", DEFAULT_NAME)
            for device in devices:
                if device.kind == kind:
                    box.addItem(device.label, device.name)
            if name and box.findData(name) < 0:
                box.addItem(f"{name} (not connected)", name)
            box.setCurrentIndex(max(0, box.findData(name)))
            box.blockSignals(False)
            using = choice.device.name if choice and choice.device else "none found"
            box.setAccessibleName(f"{label}: {box.currentText()} (using {using})")

    def show_level(self, level: Level | None) -> None:
        self.meter.set_level(level)
        text = level_text(level)
        self.level_label.setText(text)
        self.level_label.setAccessibleName(f"Microphone level: {text}")

    def show_verdict(self, word: str) -> None:
        sentence = explain(word) if word else ""
        self.verdict_label.setText(sentence)
        self.verdict_label.setAccessibleName(f"Microphone verdict: {sentence or 'none yet'}")

    def show_message(self, message: str) -> None:
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))
        self.message_label.setAccessibleName(f"Audio message: {message}")

    def show_tone(self, on: bool) -> None:
        self._tone_on = on
        self.tone_button.setText("Stop tone" if on else "Play tone")
        self.tone_button.setAccessibleName(
            "Test tone: playing, press to stop" if on else "Test tone: stopped, press to play")

    def show_loopback(self, on: bool) -> None:
        self._loopback_on = on
        self.loopback_button.setText("Stop hearing myself" if on else "Hear myself")
        self.loopback_button.setAccessibleName(
            "Hear yourself: on, press to stop" if on else "Hear yourself: off, press to start")
        self.ceiling_box.setEnabled(not on)

    def show_record(self, state: str, word: str) -> None:
        busy = state in ("recording", "playing")
        self.record_button.setEnabled(not busy)
        self.record_button.setAccessibleName(
            f"Record test: {state}" if busy else "Record 5 seconds and play back")
        if state == "recording":
            text = "Recording 5 seconds: say a few words…"
        elif state == "playing":
            text = "Playing the recording back…"
        elif word:
            text = f"Result: {explain(word)}"
        else:
            text = "Records 5 seconds from the microphone, then plays them on the speaker."
        self.record_label.setText(text)
        self.record_label.setAccessibleName(f"Record test: {text}")
