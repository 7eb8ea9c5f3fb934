"""What packaging/slim.py leaves out of the bundle, checked on the venv's own PySide6.

Building a bundle takes minutes (``python -m bench bundle`` does it); these checks
run the same selection over the real Qt plugin and library files in seconds.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import PySide6
import pytest

from testkit.strict import need_service

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "packaging"))
import slim  # noqa: E402

QT = Path(PySide6.__file__).parent / "Qt"


@pytest.mark.parametrize(("dest", "gone"), [
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", False),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
    ("PySide6/Qt/translations/qtbase_de.qm", True),
    ("agentapp/i18n/agentapp_hi.qm", False),
])
def test_dropped_paths(dest: str, gone: bool) -> None:
    assert slim.dropped(dest) is gone


def test_only_libraries_the_kept_files_need_stay() -> None:
    need_service(shutil.which("readelf") is not None, "readelf (binutils)")
    plugins = QT / "plugins"
    if not (plugins / "platforms" / "libqxcb.so").is_file():
        pytest.skip("this PySide6 has no Linux Qt plugins")
    # The plugin kinds PyInstaller collects for QtGui, QtWidgets, QtNetwork and QtSvg.
    kinds = ("platforms", "platformthemes", "imageformats", "iconengines", "generic",
             "egldeviceintegrations", "platforminputcontexts", "tls", "networkinformation",
             "xcbglintegrations", "wayland-decoration-client", "wayland-shell-integration",
             "wayland-graphics-integration-client")
    toc = [(f"PySide6/Qt/plugins/{p.relative_to(plugins).as_posix()}", str(p), "BINARY")
           for kind in kinds for p in (plugins / kind).glob("*.so")]
    toc += [(f"PySide6/Qt/lib/{p.name}", str(p), "BINARY") for p in (QT / "lib").glob("*.so.6")]
    kept, gone = slim.slim(toc)
    kept_names = {Path(dest).name for dest, _src, _kind in kept}
    gone_names = {Path(dest).name for dest in gone}
    assert {"libqxcb.so", "libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6Core.so.6",
            "libqsvg.so", "libQt6Svg.so.6"} <= kept_names
    assert {"libqgtk3.so", "libqeglfs.so", "libqjpeg.so"} <= gone_names
    # Qt modules nothing kept links go, whatever else was collected.
    assert {"libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Designer.so.6"} <= gone_names


def test_icu_stub_builds_with_the_soname(tmp_path: Path) -> None:
    need_service(shutil.which("cc") is not None or shutil.which("gcc") is not None, "a C compiler")
    need_service(shutil.which("readelf") is not None, "readelf (binutils)")
    lib = tmp_path / "PySide6" / "Qt" / "lib"
    lib.mkdir(parents=True)
    (lib / "libicudata.so.73").write_bytes(b"\0" * 4096)
    replaced = slim.stub_icu_data(tmp_path)
    assert replaced == lib / "libicudata.so.73"
    assert replaced.stat().st_size < 64 * 1024
    import subprocess

    dynamic = subprocess.run(["readelf", "-d", "--dyn-syms", "-W", str(replaced)],
                             capture_output=True, text=True, check=True).stdout
    assert "[libicudata.so.73]" in dynamic
    assert "icudt73_dat" in dynamic
    assert not list(lib.glob("*.c"))
