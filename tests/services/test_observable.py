"""Observable: subscribe/unsubscribe, isolation of failing subscribers, set vs emit."""

from __future__ import annotations

import logging

import pytest

from agentapp.services.observable import Observable


def test_subscribers_get_values_until_they_unsubscribe() -> None:
    seen: list[int] = []
    box = Observable(0)
    unsubscribe = box.subscribe(seen.append)
    box.emit(1)
    unsubscribe()
    unsubscribe()  # idempotent
    box.emit(2)
    assert seen == [1]
    assert box.value == 2


def test_a_failing_subscriber_does_not_break_others(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []

    def broken(_: str) -> None:
        raise RuntimeError("boom")

    box = Observable("")
    box.subscribe(broken)
    box.subscribe(seen.append)
    with caplog.at_level(logging.ERROR):
        box.emit("x")
    assert seen == ["x"]
    assert "failed" in caplog.text


def test_set_emits_only_on_change() -> None:
    seen: list[bool] = []
    box = Observable(True)
    box.subscribe(seen.append)
    box.set(True)
    box.set(False)
    box.set(False)
    box.emit(False)
    assert seen == [False, False]
