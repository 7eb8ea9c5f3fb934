"""Packaging: desktop + AppStream files validate, ids/versions agree, resources bundle."""

from __future__ import annotations

import configparser
import plistlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import agentapp
from agentapp import resources
from testkit.strict import need_service

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
DESKTOP = LINUX / f"{agentapp.APP_ID}.desktop"
METAINFO = LINUX / f"{agentapp.APP_ID}.metainfo.xml"
ICON_NAMES = ("app", "call", "hangup", "dialpad", "clipboard", "settings", "signout",
              "online", "offline", "history", "warning", "check", "ext", "did")

sys.path.insert(0, str(REPO / "packaging"))
import sync_version  # noqa: E402
from app_meta import read_app_meta  # noqa: E402


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    need_service(shutil.which(tool) is not None, tool)
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)


def test_desktop_file_validates() -> None:
    result = _run("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_desktop_file_handles_tel_and_callto() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "agentapp %u"
    assert section["Icon"] == agentapp.APP_ID
    assert set(section["MimeType"].strip(";").split(";")) == {
        "x-scheme-handler/tel", "x-scheme-handler/callto"}
    assert section["Name"] == agentapp.APP_NAME
    assert (LINUX / f"{agentapp.APP_ID}.svg").exists()


def test_metainfo_validates() -> None:
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_agrees_with_package() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == agentapp.APP_ID
    assert root.findtext("name") == agentapp.APP_NAME
    assert root.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == agentapp.__version__


def test_versions_and_ids_agree_everywhere() -> None:
    meta = read_app_meta()
    assert (meta.version, meta.app_id, meta.app_name) == (
        agentapp.__version__, agentapp.APP_ID, agentapp.APP_NAME)
    assert sync_version.problems(meta) == []
    iss = (REPO / "packaging/windows/agentapp.iss").read_text()
    for scheme in ("tel", "callto"):
        key = f'Subkey: "Software\\Classes\\{scheme}"; ValueType: string; '
        assert key + 'ValueName: "URL Protocol"' in iss
    plist = plistlib.loads((REPO / "packaging/macos/Info.plist").read_bytes())
    schemes = {s for t in plist["CFBundleURLTypes"] for s in t["CFBundleURLSchemes"]}
    assert schemes == {"tel", "callto"}


def test_version_drift_is_detected() -> None:
    meta = read_app_meta()
    drifted = type(meta)("9.9.9", meta.app_id, meta.app_name)
    found = sync_version.problems(drifted)
    assert any("metainfo" in p for p in found) and any("AppVersion" in p for p in found)


def test_pyinstaller_spec_bundles_resources_and_reads_metadata() -> None:
    spec = (REPO / "packaging/agentapp.spec").read_text()
    compile(spec, "agentapp.spec", "exec")
    assert re.search(r'"resources"\), "resources"\)', spec)
    assert "read_app_meta()" in spec and "bundle_identifier=META.app_id" in spec
    assert "keyrings.alt" in spec  # excluded, never bundled


def test_resource_path_from_source_and_from_a_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resources.resource_path("icons", "call.svg") == REPO / "resources/icons/call.svg"
    with pytest.raises(FileNotFoundError, match=r"nope\.svg"):
        resources.resource_path("icons", "nope.svg")
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "call.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("icons", "call.svg") == tmp_path / "resources/icons/call.svg"


@pytest.mark.parametrize("name", ICON_NAMES)
def test_icons_are_monochrome_24px_svgs(name: str) -> None:
    svg = resources.resource_path("icons", f"{name}.svg").read_text()
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 24 24"
    colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg)) - {"none"}
    assert colours <= {"currentColor", "#000000"}, colours


def test_icon_is_recoloured_for_dark_palettes(qtbot: QtBot) -> None:
    def darkest_and_lightest(dark: bool) -> tuple[int, int]:
        image = resources.icon("check", palette_is_dark=dark).pixmap(48, 48).toImage()
        inked = [image.pixelColor(x, y) for x in range(48) for y in range(48)]
        values = [c.value() for c in inked if c.alpha() > 200]
        assert values, "icon rendered nothing"
        return min(values), max(values)

    assert darkest_and_lightest(dark=True)[0] > 180  # light ink on a dark palette
    assert darkest_and_lightest(dark=False)[1] < 80  # dark ink on a light palette


def test_only_the_app_ships(monkeypatch: pytest.MonkeyPatch) -> None:
    """testkit/, bench/ and tests/ stay in the checkout: setup.py packages agentapp only."""
    import runpy

    import setuptools

    captured: dict[str, object] = {}
    monkeypatch.setattr(setuptools, "setup", lambda **kwargs: captured.update(kwargs))
    monkeypatch.chdir(REPO)
    runpy.run_path(str(REPO / "setup.py"))
    packages = captured["packages"]
    assert isinstance(packages, list)
    assert {name.split(".")[0] for name in packages} == {"agentapp"}
    assert {"agentapp", "agentapp.services", "agentapp._resources"} <= set(packages)
    assert (REPO / "testkit" / "__init__.py").exists()  # it exists, and is left out
