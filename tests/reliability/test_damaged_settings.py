"""Settings files that used to crash the app or silently reset it (issue 16.6).

Every damaged file is kept aside under a timestamped name, the app starts, and
``Settings.damage`` says what was reset and where the old file is (the window
shows it: tests/e2e/test_damaged_settings_notice.py).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentapp.settings import (
    AGENT_EXTENSION,
    API_BASE_URL,
    API_PATH_OVERRIDES,
    SCHEMA_KEY,
    SCHEMA_VERSION,
    Settings,
)

REPO = Path(__file__).resolve().parents[2]
FIXED_NOW = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC

DAMAGED: dict[str, bytes] = {
    "invalid-utf8": b'{"agent/extension": "21\xff\xfe01"}',
    "truncated-in-a-character": '{"agent/extension": "2101", "x": "₹'.encode()[:-1],
    "binary-junk": bytes(range(256)) * 4,
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
    "truncated-json": b'{"agent/extension": "2101", "agent/did": "+9111',
    "not-an-object": b"[1, 2, 3]",
}


def _settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "profile" / "settings.json", clock=lambda: FIXED_NOW)


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_unreadable_file_is_kept_aside_and_defaults_used(tmp_path: Path, content: bytes) -> None:
    settings = _settings(tmp_path)
    settings.path.parent.mkdir(parents=True)
    settings.path.write_bytes(content)
    settings.load()
    assert settings.get(API_BASE_URL) == API_BASE_URL.default
    damage = settings.damage
    assert damage is not None and damage.kept_at is not None
    assert damage.kept_at.name == "settings.json.damaged-20270115-080000"
    assert damage.kept_at.read_bytes() == content
    assert not settings.path.exists()
    assert str(damage.kept_at) in damage.message()
    settings.save()  # and the app can write a fresh one
    assert json.loads(settings.path.read_text())[SCHEMA_KEY] == SCHEMA_VERSION


def test_a_folder_in_the_files_place(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.path.mkdir(parents=True)
    (settings.path / "inner").write_text("x")
    settings.load()
    assert settings.damage is not None and settings.damage.kept_at is not None
    assert "folder" in settings.damage.message()
    assert (settings.damage.kept_at / "inner").read_text() == "x"
    settings.save()
    assert settings.path.is_file()


def test_two_damaged_loads_in_one_second_keep_both_files(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.path.parent.mkdir(parents=True)
    kept = []
    for content in (b"{one", b"{two"):
        settings.path.write_bytes(content)
        settings.load()
        assert settings.damage is not None and settings.damage.kept_at is not None
        kept.append(settings.damage.kept_at)
    assert kept[0] != kept[1]
    assert [p.read_bytes() for p in kept] == [b"{one", b"{two"]


def test_wrong_types_say_what_was_reset_and_keep_a_copy(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.path.parent.mkdir(parents=True)
    original = json.dumps({SCHEMA_KEY: SCHEMA_VERSION, "agent/extension": 2101,
                           "agent/did": "+911143104567"})
    settings.path.write_text(original)
    settings.load()
    assert settings.get(AGENT_EXTENSION) == ""
    damage = settings.damage
    assert damage is not None and damage.kept_at is not None
    assert damage.kept_at.read_text() == original
    assert "“Your extension” had an invalid value (2101)" in damage.message()


def test_unknown_path_override_names_are_refused_with_the_name(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    settings.path.parent.mkdir(parents=True)
    settings.path.write_text(json.dumps({
        SCHEMA_KEY: SCHEMA_VERSION, "api/path_overrides": {"get_contcat": "/api/contact"}}))
    settings.load()
    assert settings.get(API_PATH_OVERRIDES) == {}
    assert settings.damage is not None
    assert "unknown endpoint name 'get_contcat'" in settings.damage.message()


@pytest.mark.parametrize("doc", [
    {"api/path_overrides": {"token": "/api/x"}},
    {"future/auth": {"nested": {"Authorization": "Bearer abcdefgh12345678"}}},
    {"future/header": "Bearer abcdefgh12345678"},
    {"future/list": [{"password": "hunter2"}]},
], ids=["nested-key", "nested-bearer", "bearer-value", "key-in-list"])
def test_nested_secrets_do_not_survive(tmp_path: Path, doc: dict[str, object]) -> None:
    settings = _settings(tmp_path)
    settings.path.parent.mkdir(parents=True)
    settings.path.write_text(json.dumps({SCHEMA_KEY: SCHEMA_VERSION, **doc}))
    settings.load()
    settings.save()
    written = settings.path.read_text()
    assert "hunter2" not in written and "Bearer" not in written and '"token"' not in written
    assert settings.damage is not None and "secret" in settings.damage.message()


@pytest.mark.parametrize("kind", ["folder", "deep-nesting", "invalid-utf8"])
def test_the_real_app_starts_with_a_damaged_file(tmp_path: Path, kind: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
                "XDG_RUNTIME_DIR"):
        (tmp_path / var).mkdir()
        env[var] = str(tmp_path / var)
    env.pop("AGENTAPP_TOKEN", None)
    path = tmp_path / "XDG_CONFIG_HOME" / "agentapp" / "damaged" / "settings.json"
    if kind == "folder":
        path.mkdir(parents=True)
    else:
        path.parent.mkdir(parents=True)
        path.write_bytes(DAMAGED[kind])
    app = subprocess.Popen([sys.executable, "-m", "agentapp", "--profile", "damaged"],
                           cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
    try:
        deadline = time.monotonic() + 30
        while not list(path.parent.glob("settings.json.damaged-*")):
            assert app.poll() is None, f"the app exited {app.returncode}"
            assert time.monotonic() < deadline, "the damaged file was never kept aside"
            time.sleep(0.05)
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            _out, err = app.communicate(timeout=20)
        finally:
            if app.poll() is None:
                app.kill()
    assert app.returncode == 0, err
    assert "Traceback" not in err
    assert "Your settings file was damaged" in err  # logged, not only in the window
