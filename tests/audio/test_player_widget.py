"""The passive player widget: states in words, seeking and speed as signals."""

from __future__ import annotations

from agentapp.ui.player import PlayerWidget, clock


def test_states_are_rendered_in_words_and_controls_follow(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = PlayerWidget()
    qtbot.addWidget(widget)
    assert not widget.play_button.isEnabled()
    assert widget.state_label.text() == "No recording"
    widget.show_state("loading")
    assert widget.state_label.text() == "Downloading the recording…"
    assert not widget.play_button.isEnabled()
    widget.show_duration(125.0)
    widget.show_state("ready")
    assert widget.play_button.isEnabled() and widget.play_button.text() == "Play"
    assert widget.time_label.text() == "0:00 / 2:05"
    widget.show_state("playing")
    widget.show_position(61.5)
    assert widget.play_button.accessibleName() == "Pause the recording"
    assert widget.slider.accessibleName() == "Seek: 1:01 of 2:05"
    assert widget.state_label.accessibleName() == "Player status: Playing"
    widget.show_state("error")
    widget.show_message("This recording is not available.")
    assert widget.state_label.text() == "This recording is not available."
    assert not widget.play_button.isEnabled()


def test_requests_go_out_as_signals(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = PlayerWidget()
    qtbot.addWidget(widget)
    widget.show_duration(60.0)
    widget.show_state("ready")
    with qtbot.waitSignal(widget.play_requested):
        widget.play_button.click()
    widget.show_state("playing")
    with qtbot.waitSignal(widget.pause_requested):
        widget.play_button.click()
    widget.slider.setValue(300)
    with qtbot.waitSignal(widget.seek_requested) as seek:
        widget.slider.sliderReleased.emit()
    assert seek.args == [30.0]
    with qtbot.waitSignal(widget.speed_requested) as speed:
        widget.speed_box.setCurrentIndex(1)
        widget.speed_box.activated.emit(1)
    assert speed.args == [1.5]
    widget.show_speed(2.0)
    assert widget.speed_box.accessibleName() == "Playback speed: 2×"


def test_clock() -> None:
    assert (clock(0), clock(59.9), clock(60), clock(3601)) == ("0:00", "0:59", "1:00", "60:01")
