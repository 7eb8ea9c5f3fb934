"""agentapp.audio is below the Qt layer: every module imports with Qt blocked."""

from __future__ import annotations

from tests.test_no_qt_layers import _probe


def test_audio_imports_without_qt() -> None:
    report = _probe(("agentapp.audio",))
    assert report["failed"] == {}, report["failed"]
    assert "agentapp.audio.check" in report["imported"]  # type: ignore[operator]
