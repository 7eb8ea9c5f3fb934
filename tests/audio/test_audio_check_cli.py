"""``agentapp --audio-check`` as a real process: on the virtual device, and without PortAudio."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.strict import need_service
from tests.audio.conftest import pulse_running

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentapp", *args], capture_output=True,
                          text=True, timeout=60, cwd=REPO, env=env or dict(os.environ))


@pytest.mark.audio
def test_audio_check_closes_the_loop_through_the_null_sink() -> None:
    need_service(pulse_running(), "PulseAudio null sink ci_sink")
    result = run_cli("--audio-check")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    kinds = {d["kind"] for d in report["devices"]}
    assert kinds == {"input", "output"}
    assert all(isinstance(d["name"], str) and isinstance(d["default"], bool)
               for d in report["devices"])
    assert any(d["default"] for d in report["devices"] if d["kind"] == "output")
    loop = report["loopback"]
    assert loop["verdict"] == "OK"
    assert loop["measured_dbfs"] == pytest.approx(loop["played_dbfs"], abs=1.0)


def test_audio_check_without_portaudio_is_one_line_and_non_zero(tmp_path: Path) -> None:
    # A sounddevice that fails as it does when libportaudio is missing.
    (tmp_path / "sounddevice.py").write_text(
        "raise OSError('PortAudio library not found')\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{REPO}")
    result = run_cli("--audio-check", env=env)
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PortAudio" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_audio_check_does_not_import_qt(tmp_path: Path) -> None:
    (tmp_path / "sounddevice.py").write_text("raise OSError('no PortAudio')\n")
    (tmp_path / "PySide6").mkdir()
    (tmp_path / "PySide6" / "__init__.py").write_text("raise ImportError('Qt was imported')\n")
    env = dict(os.environ, PYTHONPATH=f"{tmp_path}{os.pathsep}{REPO}")
    result = run_cli("--audio-check", env=env)
    assert "Qt was imported" not in result.stderr
    assert "PortAudio" in result.stderr
