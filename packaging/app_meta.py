"""Read the one version and app id from agentapp/__init__.py without importing it.

Parsed with ``ast`` so packaging scripts (PyInstaller spec, sync_version.py)
work before the app's dependencies are installed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class AppMeta:
    version: str
    app_id: str
    app_name: str


def read_app_meta(root: Path = REPO_ROOT) -> AppMeta:
    tree = ast.parse((root / "agentapp" / "__init__.py").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return AppMeta(found["__version__"], found["APP_ID"], found["APP_NAME"])
