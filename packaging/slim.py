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
    "tkinter", "hypothesis", "pytest", "_pytest", "pytestqt", "mypy", "mypyc",
    "pydantic", "pydantic_core", "yaml", "ast_serialize", "importlinter", "grimp",
    "rich", "pygments", "click", "setuptools", "pkg_resources", "distutils",
    "numpy.f2py", "numpy.testing", "numpy.distutils", "numpy.fft", "numpy.polynomial",
    "numpy._core._multiarray_tests", "pydoc", "lib2to3", "unittest", "readline",
    "PySide6.QtOpenGL", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtDBus",
    # phonenumbers' place names, carriers and time zones (~4.6 MB): the app parses,
    # formats and finds numbers only (agentapp.core.phone names the few regions itself).
    "phonenumbers.geocoder", "phonenumbers.geodata", "phonenumbers.carrier",
    "phonenumbers.carrierdata", "phonenumbers.timezone", "phonenumbers.tzdata",
    # East Asian legacy text codecs: the app reads and writes UTF-8 only.
    "encodings.big5", "encodings.big5hkscs", "encodings.cp932", "encodings.cp949",
    "encodings.cp950", "encodings.euc_jis_2004", "encodings.euc_jisx0213", "encodings.euc_jp",
    "encodings.euc_kr", "encodings.gb18030", "encodings.gb2312", "encodings.gbk",
    "encodings.hz", "encodings.iso2022_jp", "encodings.iso2022_jp_1", "encodings.iso2022_jp_2",
    "encodings.iso2022_jp_2004", "encodings.iso2022_jp_3", "encodings.iso2022_jp_ext",
    "encodings.iso2022_kr", "encodings.johab", "encodings.shift_jis",
    "encodings.shift_jis_2004", "encodings.shift_jisx0213",
    "_codecs_cn", "_codecs_hk", "_codecs_iso2022", "_codecs_jp", "_codecs_kr", "_codecs_tw",
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
    # Qt's on-screen keyboard is a QML app of its own (it links Qt Quick).
    r"^PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin\.so$",
    # QtNetwork is used only for the single-instance local socket: no TLS, no
    # network-state plugins.
    r"^PySide6/Qt/plugins/(tls|networkinformation)/",
    # The app draws SVG icons and PNGs (built in); no other image formats.
    r"^PySide6/Qt/plugins/imageformats/libq(?!svg)\w+\.so$",
    # OpenGL integration for xcb and Wayland's GPU buffer sharing: the widgets never
    # draw with OpenGL (Wayland windows use shared memory), so libQt6OpenGL goes too.
    r"^PySide6/Qt/plugins/(xcbglintegrations|wayland-graphics-integration-client)/",
    # The desktop's own D-Bus client library (stable ABI on every Linux desktop since
    # 2006), which Qt loads at run time for the tray and portals, like libGL. Bundled,
    # it brought libsystemd, libgcrypt, liblz4 and libcap along (~3 MB).
    r"(^|/)libdbus-1\.so[.\d]*$",
]
_DROPPED_RE = re.compile("|".join(f"(?:{p})" for p in _DROPPED))

# Loaded with dlopen (no DT_NEEDED edge leads to them): always kept.
DLOPENED = re.compile(r"(^|/)(libportaudio|libsndfile|libxcb-cursor|"
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


def strip_binaries(internal: Path) -> list[Path]:
    """``strip --strip-unneeded`` every shared library in a built bundle but the wheels'
    patchelf-ed ones.

    Builds of Python and of many wheels keep their symbols (libpython 22 MB -> 5.5 MB,
    Qt 87 -> 55 MB with ICU's data gone, aiohttp 5.8 -> 0.9 MB). Libraries an
    auditwheel repair placed in ``<package>.libs/`` are left alone: stripping them
    breaks their loading ("ELF load command address/offset not page-aligned"), which
    is why PyInstaller's own ``strip=True`` is not used.
    """
    done = []
    for path in sorted(internal.rglob("*.so*")):
        if not path.is_file() or path.is_symlink() or any(
                part.endswith(".libs") for part in path.relative_to(internal).parts):
            continue
        result = subprocess.run(["strip", "--strip-unneeded", str(path)],
                                capture_output=True, timeout=60, check=False)
        if result.returncode == 0:
            done.append(path)
    return done


ICU_STUB_SOURCE = """
/* Stands in for ICU's data library (31 MB): an empty table, so ICU reports that it
   has no data and Qt uses its own code for what it would have asked ICU. */
const unsigned char {symbol}[64] __attribute__((aligned(16))) = {{0}};
"""


def stub_icu_data(internal: Path) -> Path | None:
    """Replace Qt's ``libicudata.so.NN`` by an empty table of the same name and symbol.

    Qt links ICU but the app uses none of what needs ICU's data: collation
    (QCollator), legacy text codecs, ICU time zones (Linux uses the tz database),
    locale-specific case rules. With no data ICU returns an error and Qt falls back
    to its own code. Text shaping (HarfBuzz, Devanagari included), line breaking
    and UTF-8/UTF-16 are Qt's own and need no ICU. Needs a C compiler; without one
    the real library stays (31 MB more). Returns the replaced file, or None.
    """
    import shutil

    lib_dir = internal / "PySide6" / "Qt" / "lib"
    found = sorted(lib_dir.glob("libicudata.so.*"))
    compiler = shutil.which("cc") or shutil.which("gcc")
    if not found or compiler is None:
        return None
    target = found[0]
    version = target.name.removeprefix("libicudata.so.").split(".")[0]
    source = target.with_name("icudt_stub.c")
    source.write_text(ICU_STUB_SOURCE.format(symbol=f"icudt{version}_dat"), encoding="ascii")
    built = target.with_name(target.name + ".stub")
    try:
        result = subprocess.run([compiler, "-shared", "-fPIC", "-O2",
                                 f"-Wl,-soname,{target.name}", "-o", str(built), str(source)],
                                capture_output=True, text=True, timeout=120, check=False)
    finally:
        source.unlink()
    if result.returncode != 0:
        built.unlink(missing_ok=True)
        return None
    built.replace(target)
    return target


def drop_dangling_links(internal: Path) -> int:
    """PyInstaller links Qt libraries into the top folder; those that slim() left out
    would dangle."""
    gone = 0
    for path in internal.iterdir():
        if path.is_symlink() and not path.exists():
            path.unlink()
            gone += 1
    return gone
