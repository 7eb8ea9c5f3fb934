"""Downloaded recordings on disk, with a size limit and least-recently-used eviction.

A recording is keyed by its URL (hashed: URLs may carry query strings). "Used"
is the file's modification time, touched on every hit, so the order survives
restarts without an index file. All methods do blocking file I/O.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_SUFFIXES = (".mp3", ".wav")


class RecordingCache:
    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        suffix = Path(urlsplit(url).path).suffix.lower()
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.root / (digest + (suffix if suffix in _SUFFIXES else ".audio"))

    def lookup(self, url: str) -> Path | None:
        path = self.path_for(url)
        try:
            os.utime(path)  # a hit makes it the most recently used
        except OSError:
            return None
        return path

    def evict(self, keep: Path | None = None) -> list[Path]:
        """Delete the least recently used files until the total fits; returns them."""
        entries = []
        for entry in self.root.glob("*"):
            if entry.name.startswith(".") or not entry.is_file():
                continue  # .part files belong to a download in progress
            with contextlib.suppress(OSError):
                stat = entry.stat()
                entries.append((stat.st_mtime_ns, stat.st_size, entry))
        total = sum(size for _, size, _ in entries)
        removed: list[Path] = []
        for _, size, entry in sorted(entries):
            if total <= self.max_bytes:
                break
            if entry == keep:
                continue
            with contextlib.suppress(OSError):
                entry.unlink()
                total -= size
                removed.append(entry)
        return removed

    def remove(self, url: str) -> None:
        with contextlib.suppress(OSError):
            self.path_for(url).unlink()


def cache_dir(profile: str) -> Path:
    """The profile's recordings cache (platformdirs' user cache dir, resolved at call time)."""
    import platformdirs

    from agentapp.paths import APP_DIR_NAME, check_profile

    return Path(platformdirs.user_cache_dir(APP_DIR_NAME)) / check_profile(profile) / "recordings"
