"""What the one-folder bundle leaves out, and why (used by agentapp.spec).

PyInstaller collects every Qt plugin of the Qt modules in use and every shared
library those plugins link, plus whatever happens to be importable in the build
venv. The app needs far less: this module names what goes, and after the
plugins are dropped keeps only the shared libraries still reachable (DT_NEEDED)
from what stays. docs/packaging.md has the figures.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

# Python packages that are in a developer venv but never imported by the app
# (tests, type checking, httpx's optional command line), or not wanted at all.
EXCLUDED_MODULES = [
    "keyrings.alt",  # plaintext keyrings: agentapp.secrets refuses them anyway
    "tkinter", "hypothesis", "pytest", "_pytest", "pytestqt", "mypy", "mypyc",
    "pydantic", "pydantic_core", "yaml", "ast_serialize", "importlinter", "grimp",
    "rich", "pygments", "click", "setuptools", "pkg_resources", "distutils",
    "numpy.f2py", "numpy.testing", "numpy.distutils", "pydoc", "lib2to3", "unittest",
    "PySide6.QtOpenGL", "PySide6.QtQml", "PySide6.QtQuick",
]

# Bundle paths (POSIX, relative to the bundle's _internal) dropped after analysis.
_DROPPED = [
    # Qt's own message catalogues: the app ships agentapp_hi.qm; Qt has none for Hindi.
    r"^PySide6/Qt/translations/",
    # The GTK platform theme links all of GTK 3, cairo, pango, atk (~15 MB); the
    # xdg-desktop-portal theme and Fusion cover the look.
    r"^PySide6/Qt/plugins/platformthemes/libqgtk3\.so$",
    # Embedded/kiosk platforms and their input plugins; X11, Wayland and offscreen stay.
    r"^PySide6/Qt/plugins/platforms/lib(qeglfs|qlinuxfb|qminimal|qminimalegl|qvnc|"
    r"qvkkhrdisplay)\.so$",
    r"^PySide6/Qt/plugins/(egldeviceintegrations|generic)/",
    # QtNetwork is used only for the single-instance local socket: no TLS, no
    # network-state plugins.
    r"^PySide6/Qt/plugins/(tls|networkinformation)/",
    # The app draws SVG icons and PNGs (built in); no other image formats.
    r"^PySide6/Qt/plugins/imageformats/libq(?!svg)\w+\.so$",
    # OpenGL integration for xcb: the widgets never draw with OpenGL.
    r"^PySide6/Qt/plugins/xcbglintegrations/",
]
_DROPPED_RE = re.compile("|".join(f"(?:{p})" for p in _DROPPED))

# Loaded with dlopen (no DT_NEEDED edge leads to them): always kept.
DLOPENED = re.compile(r"(^|/)(libportaudio|libsndfile|libdbus-1|libxcb-cursor|"
                      r"libQt6XcbQpa|libQt6WaylandClient|libwayland-)")


def dropped(dest: str) -> bool:
    return bool(_DROPPED_RE.search(dest.replace("\\", "/")))


def _is_root(dest: str) -> bool:
    """Python extensions, Qt plugins and dlopen()ed libraries start the reachability walk."""
    name = dest.replace("\\", "/")
    return (name.endswith((".pyd", ".abi3.so")) or ".cpython-" in name
            or "/Qt/plugins/" in name or bool(DLOPENED.search(name))
            or "/lib-dynload/" in name or Path(name).name.startswith("libpython"))


def needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of an ELF file ([] for anything else)."""
    try:
        out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def slim(binaries: Iterable[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]],
                                                            list[str]]:
    """Drop the listed plugins, then every library no kept file needs; returns (kept, gone).

    Only on Linux (ELF): elsewhere nothing but the plugin list applies.
    """
    entries = [b for b in binaries]
    gone = [b[0] for b in entries if dropped(b[0])]
    entries = [b for b in entries if not dropped(b[0])]
    by_name = {Path(dest).name: (dest, src, kind) for dest, src, kind in entries}
    reach: set[str] = set()
    todo = [dest for dest, _src, _kind in entries if _is_root(dest)]
    while todo:
        dest = todo.pop()
        name = Path(dest).name
        if name in reach:
            continue
        reach.add(name)
        src = by_name.get(name, (dest, dest, ""))[1]
        for lib in needed(Path(src)):
            if lib in by_name and lib not in reach:
                todo.append(by_name[lib][0])
    kept = []
    for dest, src, kind in entries:
        is_elf_lib = re.search(r"\.so(\.\d+)*$", dest) is not None
        if is_elf_lib and Path(dest).name not in reach:
            gone.append(dest)
        else:
            kept.append((dest, src, kind))
    return kept, gone
