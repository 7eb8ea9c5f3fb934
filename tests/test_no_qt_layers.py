"""core, api, store, services and sandbox must import without Qt (checked with Qt blocked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QT_FREE_PACKAGES = ("agentapp.core", "agentapp.api", "agentapp.store", "agentapp.services",
                    "agentapp.sandbox")

# Runs in a fresh interpreter, so nothing Qt was imported before the blocker.
PROBE = r"""
import importlib, importlib.abc, json, pkgutil, sys, traceback

class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"Qt is blocked in this layer: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
imported, failed = [], {}
for package_name in json.loads(sys.argv[1]):
    try:
        package = importlib.import_module(package_name)
    except BaseException:
        failed[package_name] = traceback.format_exc(limit=3)
        continue
    names = [package_name] + [m.name for m in pkgutil.walk_packages(
        getattr(package, "__path__", []), package_name + ".")]
    for name in names:
        try:
            importlib.import_module(name)
            imported.append(name)
        except BaseException:
            failed[name] = traceback.format_exc(limit=3)
print(json.dumps({"imported": imported, "failed": failed}))
"""


def _probe(packages: tuple[str, ...]) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(packages)],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_lower_layers_import_without_qt() -> None:
    report = _probe(QT_FREE_PACKAGES)
    assert report["failed"] == {}, "\n".join(
        f"{name}:\n{tb}" for name, tb in report["failed"].items()  # type: ignore[attr-defined]
    )
    imported = set(report["imported"])  # type: ignore[call-overload]
    assert set(QT_FREE_PACKAGES) <= imported


def test_the_blocker_really_blocks_qt() -> None:
    report = _probe(("agentapp.single_instance",))  # a module that does import Qt
    failed = report["failed"]
    assert isinstance(failed, dict)
    assert "agentapp.single_instance" in failed
    assert any("Qt is blocked" in tb for tb in failed.values())
