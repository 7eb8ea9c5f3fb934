"""Settings: typed defaults, validation, atomic versioned JSON, and no secrets."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

import pytest

from agentapp import paths
from agentapp.settings import (
    AGENT_DID,
    AGENT_EXTENSION,
    ALL_SETTINGS,
    API_BASE_URL,
    API_PATH_OVERRIDES,
    DIAL_TEL_ACTION,
    PHONE_DEFAULT_REGION,
    SCHEMA_KEY,
    SCHEMA_VERSION,
    UI_GEOMETRY,
    UI_THEME,
    WEBHOOK_PORT,
    WEBHOOK_SECRET_ENABLED,
    SecretSettingError,
    Setting,
    Settings,
)


@pytest.fixture
def settings(data_dirs: Path) -> Settings:
    return Settings.for_profile("default")


def test_paths_follow_platform_dirs_per_profile(data_dirs: Path) -> None:
    assert paths.settings_file("work") == data_dirs / "config/agentapp/work/settings.json"
    assert paths.data_dir("work") == data_dirs / "data/agentapp/work"
    assert paths.log_dir().is_relative_to(data_dirs)
    for bad in ("", "../etc", "a/b", ".hidden", "x" * 65):
        with pytest.raises(ValueError):
            paths.config_dir(bad)


def test_missing_file_gives_declared_defaults(settings: Settings) -> None:
    settings.load()
    assert settings.get(API_BASE_URL) == "https://api.ivrsolutions.in"
    assert settings.get(DIAL_TEL_ACTION) == "prefill"
    assert settings.get(WEBHOOK_SECRET_ENABLED) is True
    assert settings.get(API_PATH_OVERRIDES) == {}
    assert len({s.key for s in ALL_SETTINGS}) == len(ALL_SETTINGS)


def test_round_trip_through_file_of_every_type(settings: Settings) -> None:
    settings.set(AGENT_EXTENSION, "1001")
    settings.set(WEBHOOK_PORT, 8765)
    settings.set(WEBHOOK_SECRET_ENABLED, False)
    settings.set(API_PATH_OVERRIDES, {"c2c_post": "/v2/c2c_post"})
    settings.set(UI_GEOMETRY, b"\x01\x00\xffgeom")
    settings.save()
    stored = json.loads(settings.path.read_text())
    assert stored[SCHEMA_KEY] == SCHEMA_VERSION
    assert stored["agent/extension"] == "1001"

    again = Settings(settings.path)
    again.load()
    assert again.get(AGENT_EXTENSION) == "1001"
    assert again.get(WEBHOOK_PORT) == 8765
    assert again.get(WEBHOOK_SECRET_ENABLED) is False
    assert again.get(API_PATH_OVERRIDES) == {"c2c_post": "/v2/c2c_post"}
    assert again.get(UI_GEOMETRY) == b"\x01\x00\xffgeom"


def test_set_validates_type_and_choices(settings: Settings) -> None:
    with pytest.raises(ValueError):
        settings.set(DIAL_TEL_ACTION, "call-now")
    with pytest.raises(ValueError):
        settings.set(WEBHOOK_PORT, 70000)
    with pytest.raises(ValueError):
        settings.set(WEBHOOK_PORT, True)
    with pytest.raises(ValueError):
        settings.set(UI_THEME, 3)  # type: ignore[misc]  # deliberately not a str
    with pytest.raises(ValueError):
        settings.set(API_BASE_URL, "ftp://x")
    assert settings.get(DIAL_TEL_ACTION) == "prefill"


def test_wrong_types_in_file_fall_back_to_defaults_with_warning(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.path.parent.mkdir(parents=True)
    settings.path.write_text(json.dumps({
        SCHEMA_KEY: SCHEMA_VERSION,
        "webhook/port": "8080",
        "ui/theme": "purple",
        "agent/did": "+918000000001",
        "future/thing": [1, 2],
    }))
    with caplog.at_level(logging.WARNING, logger="agentapp.settings"):
        settings.load()
    assert settings.get(WEBHOOK_PORT) == 0
    assert settings.get(UI_THEME) == "system"
    assert settings.get(AGENT_DID) == "+918000000001"
    assert "Webhook listen port" in caplog.text and "Theme" in caplog.text
    assert settings.damage is not None and len(settings.damage.resets) == 2
    assert settings.damage.kept_at is not None and settings.damage.kept_at.exists()
    settings.save()  # unknown keys from newer versions survive a save
    assert json.loads(settings.path.read_text())["future/thing"] == [1, 2]


def test_corrupt_file_is_set_aside_and_defaults_used(settings: Settings) -> None:
    settings.path.parent.mkdir(parents=True)
    settings.path.write_text("{not json")
    settings.load()
    assert settings.get(API_BASE_URL) == "https://api.ivrsolutions.in"
    assert settings.damage is not None and settings.damage.kept_at is not None
    assert settings.damage.kept_at.read_text() == "{not json"
    assert not settings.path.exists()


def test_upgrades_a_v0_file_and_drops_its_plaintext_token(settings: Settings) -> None:
    settings.path.parent.mkdir(parents=True)
    settings.path.write_text(json.dumps({
        "base_url": "https://sandbox.example",
        "extension": "2002",
        "region": "GB",
        "theme": "dark",
        "token": "abc-plaintext",
    }))
    settings.load()
    assert settings.get(API_BASE_URL) == "https://sandbox.example"
    assert settings.get(AGENT_EXTENSION) == "2002"
    assert settings.get(PHONE_DEFAULT_REGION) == "GB"
    assert settings.get(UI_THEME) == "dark"
    settings.save()
    text = settings.path.read_text()
    assert "abc-plaintext" not in text
    assert json.loads(text)[SCHEMA_KEY] == SCHEMA_VERSION


def test_refuses_secret_looking_keys(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(SecretSettingError):
        Setting("api/token", str, "", "API token")
    with pytest.raises(SecretSettingError):
        Setting("webhook/secret", str, "", "Webhook secret")
    sneaky = Setting("api/tok", str, "", "x")
    object.__setattr__(sneaky, "key", "api/password")  # bypass the declaration check
    with pytest.raises(SecretSettingError):
        settings.set(sneaky, "hunter2")
    assert not settings.path.exists()


def test_save_is_atomic_and_leaves_no_temp_files(settings: Settings) -> None:
    settings.set(AGENT_EXTENSION, "1")
    settings.save()
    before = settings.path.stat().st_ino
    settings.set(AGENT_EXTENSION, "2")
    settings.save()
    assert settings.path.stat().st_ino != before  # replaced, not rewritten in place
    assert os.listdir(settings.path.parent) == ["settings.json"]


def test_get_returns_a_copy_of_mutable_values(settings: Settings) -> None:
    settings.get(API_PATH_OVERRIDES)["x"] = "/y"
    assert settings.get(API_PATH_OVERRIDES) == {}


def test_async_load_and_save(settings: Settings) -> None:
    async def scenario() -> str:
        settings.set(DIAL_TEL_ACTION, "dial")
        await settings.asave()
        fresh = Settings(settings.path)
        await fresh.aload()
        return fresh.get(DIAL_TEL_ACTION)

    assert asyncio.run(scenario()) == "dial"
