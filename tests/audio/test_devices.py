"""Choosing a device by name: chosen, then preferred, then the default, and back."""

from __future__ import annotations

from agentapp.audio.devices import Device, choose


def dev(index: int, name: str, kind: str = "input", default: bool = False) -> Device:
    return Device(index, name, "ALSA", kind, default, 2, 48000.0)  # type: ignore[arg-type]


BUILTIN = dev(0, "Built-in Mic", default=True)
HEADSET = dev(3, "USB Headset")
SPARE = dev(5, "Spare Headset")
SPEAKER = dev(1, "Speakers", "output", default=True)


def test_the_chosen_device_is_found_by_name_whatever_its_index() -> None:
    moved = dev(7, "USB Headset")
    choice = choose([BUILTIN, moved, SPEAKER], "input", "USB Headset")
    assert choice.device == moved and not choice.fell_back and choice.note == ""


def test_a_missing_choice_falls_back_to_the_default_and_says_so() -> None:
    choice = choose([BUILTIN, SPEAKER], "input", "USB Headset")
    assert choice.device == BUILTIN and choice.fell_back
    assert "USB Headset" in choice.note and "Built-in Mic" in choice.note


def test_the_choice_is_used_again_when_it_returns() -> None:
    assert choose([BUILTIN], "input", "USB Headset").fell_back
    back = choose([BUILTIN, HEADSET], "input", "USB Headset")
    assert back.device == HEADSET and not back.fell_back


def test_preferred_list_comes_before_the_default() -> None:
    choice = choose([BUILTIN, SPARE], "input", "USB Headset", ["Spare Headset"])
    assert choice.device == SPARE and choice.fell_back and "Spare Headset" in choice.note
    # no explicit choice: the first preferred that is present, no complaint
    quiet = choose([BUILTIN, SPARE], "input", "", ["USB Headset", "Spare Headset"])
    assert quiet.device == SPARE


def test_no_device_of_the_kind_is_a_message_not_a_crash() -> None:
    choice = choose([SPEAKER], "input", "")
    assert choice.device is None and choice.note == "No microphone found."
    assert choose([], "output", "X").note == "No speaker found."


def test_outputs_are_not_offered_as_inputs() -> None:
    assert choose([SPEAKER, BUILTIN], "input", "Speakers").device == BUILTIN
