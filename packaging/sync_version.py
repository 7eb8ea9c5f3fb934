"""Keep every packaging file on the version and app id in agentapp/__init__.py.

``python packaging/sync_version.py`` rewrites the files; ``--check`` only
reports drift and exits 1 (the packaging test runs the same check).
"""

from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from app_meta import REPO_ROOT, AppMeta, read_app_meta

LINUX = REPO_ROOT / "packaging" / "linux"
ISS = REPO_ROOT / "packaging" / "windows" / "agentapp.iss"
_RELEASE_RE = re.compile(r'<release version="([^"]+)"')


def _metainfo(meta: AppMeta) -> Path:
    return LINUX / f"{meta.app_id}.metainfo.xml"


def problems(meta: AppMeta) -> list[str]:
    """Every place where a packaging file disagrees with agentapp/__init__.py."""
    found: list[str] = []
    metainfo = _metainfo(meta)
    if not metainfo.exists():
        return [f"missing {metainfo}"]
    text = metainfo.read_text(encoding="utf-8")
    if f"<id>{meta.app_id}</id>" not in text:
        found.append(f"{metainfo.name}: <id> is not {meta.app_id}")
    newest = _RELEASE_RE.search(text)
    if not newest or newest.group(1) != meta.version:
        found.append(f"{metainfo.name}: newest release is not {meta.version}")
    if not (LINUX / f"{meta.app_id}.desktop").exists():
        found.append(f"missing {meta.app_id}.desktop")
    iss = ISS.read_text(encoding="utf-8")
    if f'#define AppVersion "{meta.version}"' not in iss:
        found.append(f"{ISS.name}: AppVersion is not {meta.version}")
    if f'#define AppId "{meta.app_id}"' not in iss:
        found.append(f"{ISS.name}: AppId is not {meta.app_id}")
    return found


def _rewrite(path: Path, edit: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(edit(text), encoding="utf-8")


def sync(meta: AppMeta) -> None:
    """Add a release entry for a new version and update the installer defines."""
    def add_release(text: str) -> str:
        newest = _RELEASE_RE.search(text)
        if newest and newest.group(1) == meta.version:
            return text
        today = datetime.date.today().isoformat()
        entry = f'<release version="{meta.version}" date="{today}"/>\n    '
        return text.replace("<releases>\n    ", f"<releases>\n    {entry}", 1)

    _rewrite(_metainfo(meta), add_release)
    _rewrite(ISS, lambda t: re.sub(r'#define AppVersion "[^"]*"',
                                   f'#define AppVersion "{meta.version}"', t))
    _rewrite(ISS, lambda t: re.sub(r'#define AppId "[^"]*"', f'#define AppId "{meta.app_id}"', t))


def main(argv: list[str]) -> int:
    meta = read_app_meta()
    if "--check" not in argv:
        sync(meta)
    drift = problems(meta)
    for line in drift:
        print(line, file=sys.stderr)
    return 1 if drift else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
