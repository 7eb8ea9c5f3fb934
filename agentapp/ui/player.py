"""A small recording player: play/pause, seek bar, position/duration, speed.

Passive and reusable (recent calls today; history and screen-pops later):
``PlayerWidget`` asks through signals and renders the player's state in words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

SPEEDS = ((1.0, "1×"), (1.5, "1.5×"), (2.0, "2×"))
_STATES = {
    "idle": "No recording", "loading": "Downloading the recording…", "ready": "Ready to play",
    "playing": "Playing", "paused": "Paused", "ended": "Finished", "error": "Cannot play",
}
SLIDER_STEPS_PER_S = 10


def clock(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class PlayerWidget(QWidget):
    play_requested = Signal()
    pause_requested = Signal()
    seek_requested = Signal(float)
    speed_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = "idle"
        self._duration = 0.0
        self._position = 0.0
        self.title = QLabel("Call recording")
        self.title.setAccessibleName("Recording")
        self.play_button = QPushButton("Play")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.time_label = QLabel("0:00 / 0:00")
        self.speed_box = QComboBox()
        for value, text in SPEEDS:
            self.speed_box.addItem(text, value)
        self.state_label = QLabel(_STATES["idle"])
        self.state_label.setWordWrap(True)
        self.play_button.clicked.connect(self._play_pause)
        self.slider.sliderReleased.connect(
            lambda: self.seek_requested.emit(self.slider.value() / SLIDER_STEPS_PER_S))
        self.slider.actionTriggered.connect(self._slider_action)
        self.speed_box.activated.connect(
            lambda _i: self.speed_requested.emit(float(self.speed_box.currentData())))
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        row.addWidget(self.speed_box)
        col = QVBoxLayout(self)
        col.addWidget(self.title)
        col.addLayout(row)
        col.addWidget(self.state_label)
        self._render()

    def set_title(self, title: str) -> None:
        self.title.setText(title)
        self.title.setAccessibleName(f"Recording: {title}")

    def _play_pause(self) -> None:
        if self._state == "playing":
            self.pause_requested.emit()
        else:
            self.play_requested.emit()

    def _slider_action(self, action: int) -> None:
        # keyboard / page clicks: seek at once (dragging seeks on release)
        if action != QSlider.SliderAction.SliderMove.value:
            self.seek_requested.emit(self.slider.sliderPosition() / SLIDER_STEPS_PER_S)

    # -- rendering -----------------------------------------------------------------
    def show_state(self, state: str) -> None:
        self._state = state
        self._render()

    def show_message(self, message: str) -> None:
        if message:
            self.state_label.setText(message)
            self.state_label.setAccessibleName(f"Player status: {message}")

    def show_duration(self, seconds: float) -> None:
        self._duration = seconds
        self.slider.setRange(0, int(seconds * SLIDER_STEPS_PER_S))
        self._render_time()

    def show_position(self, seconds: float) -> None:
        self._position = seconds
        if not self.slider.isSliderDown():
            self.slider.setValue(int(seconds * SLIDER_STEPS_PER_S))
        self._render_time()

    def show_speed(self, speed: float) -> None:
        index = self.speed_box.findData(speed)
        if index >= 0:
            self.speed_box.setCurrentIndex(index)
        self.speed_box.setAccessibleName(f"Playback speed: {self.speed_box.currentText()}")

    def _render(self) -> None:
        playable = self._state in ("ready", "playing", "paused", "ended")
        self.play_button.setEnabled(playable)
        self.slider.setEnabled(playable)
        self.speed_box.setEnabled(playable)
        playing = self._state == "playing"
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setAccessibleName("Pause the recording" if playing
                                           else "Play the recording")
        if self._state != "error":
            self.state_label.setText(_STATES.get(self._state, self._state))
            self.state_label.setAccessibleName(f"Player status: {self.state_label.text()}")
        self.show_speed(float(self.speed_box.currentData()))
        self._render_time()

    def _render_time(self) -> None:
        text = f"{clock(self._position)} / {clock(self._duration)}"
        self.time_label.setText(text)
        self.time_label.setAccessibleName(f"Position {text}")
        self.slider.setAccessibleName(f"Seek: {clock(self._position)} of "
                                      f"{clock(self._duration)}")


class PlayerDialog(QDialog):
    """The player in its own small window (non-modal: the agent keeps working)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Call recording")
        self.setMinimumWidth(460)
        self.player = PlayerWidget()
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        col = QVBoxLayout(self)
        col.addWidget(self.player)
        col.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
