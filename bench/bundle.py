"""The one-folder bundle: its size, and how long the bundled app takes to show its window.

``python -m bench bundle --dist DIR`` measures a bundle built before (DIR holds
``agentapp/agentapp`` or is that folder); without ``--dist`` it builds one with
``packaging/agentapp.spec`` into a temporary directory outside the repo (a few
minutes). Start-up is timed on a private Xvfb display: from spawn until the X
server reports the "Agent Companion" window viewable, the bundled app in demo
mode against a bare PySide6 window (``bench.probe bare``, from the venv) timed the
same way in the same run. Every run is a new process; the disk cache is warm
(dropping it would need root and would hit everyone on the machine).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import BenchError, isolate_home
from bench.stats import Row

ROOT = Path(__file__).resolve().parent.parent
APP_TITLE = "Agent Companion"
BARE_TITLE = "bench bare window"
START_TIMEOUT_S = 60.0
BUILD_TIMEOUT_S = 1800.0


def build(into: Path) -> Path:
    """``pyinstaller packaging/agentapp.spec`` into ``into``; returns the bundle folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError as exc:
        raise BenchError("PyInstaller is not installed in this venv "
                         "(pip install pyinstaller)") from exc
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(into / "dist"),
         "--workpath", str(into / "work"), str(ROOT / "packaging" / "agentapp.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False)
    if result.returncode != 0:
        raise BenchError("the bundle did not build:\n" + result.stderr[-3000:])
    return into / "dist" / "agentapp"


def bundle_folder(dist: Path) -> Path:
    for candidate in (dist, dist / "agentapp"):
        if (candidate / "agentapp").is_file() or (candidate / "agentapp.exe").is_file():
            return candidate
    raise BenchError(f"no bundled agentapp executable in {dist} or {dist / 'agentapp'}")


def size_mib(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 2**20, len(files)


def largest(folder: Path, top: int = 8) -> list[tuple[float, str]]:
    """The biggest first-level entries under _internal (MiB, name)."""
    inner = folder / "_internal"
    sizes = []
    for entry in inner.iterdir() if inner.is_dir() else ():
        paths = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        sizes.append((sum(p.stat().st_size for p in paths if not p.is_symlink()) / 2**20,
                      entry.name))
    return sorted(sizes, reverse=True)[:top]


class Xvfb:
    """A private X display for the run (the machine's own display is never used)."""

    def __init__(self) -> None:
        if shutil.which("Xvfb") is None or shutil.which("xwininfo") is None:
            raise BenchError("the bundle bench needs Xvfb and xwininfo (x11-utils)")
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            # -noreset: without it the server resets whenever the last client leaves,
            # and the next one can arrive in the middle of that (Qt then aborts).
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-noreset",
             "-nolisten", "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.close()
            raise BenchError("Xvfb did not start")
        self.display = f":{number}"

    def viewable(self, title: str) -> bool:
        result = subprocess.run(["xwininfo", "-display", self.display, "-name", title],
                                capture_output=True, text=True, check=False)
        return result.returncode == 0 and "IsViewable" in result.stdout

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def _time_window(argv: list[str], title: str, x: Xvfb, env: dict[str, str]) -> float:
    """ms from spawn until ``title`` is viewable on ``x``; the process is then stopped."""
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while not x.viewable(title):
            if child.poll() is not None:
                raise BenchError(f"{argv[0]} exited ({child.returncode}) before its window "
                                 "showed")
            if time.perf_counter() - t0 > START_TIMEOUT_S:
                raise BenchError(f"no {title!r} window within {START_TIMEOUT_S:.0f} s")
        return (time.perf_counter() - t0) * 1000
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)  # the app quits cleanly on SIGTERM
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def run(runs: int, dist: Path | None) -> tuple[list[Row], list[str]]:
    """Rows for the start-up figure, and lines describing the bundle's size."""
    isolate_home()
    built_here = None
    if dist is None:
        built_here = Path(tempfile.mkdtemp(prefix="agentapp-bundle-"))
        folder = build(built_here)
    else:
        folder = bundle_folder(dist)
    try:
        mib, count = size_mib(folder)
        lines = [f"bundle {folder}: {mib:.1f} MiB in {count} files; largest: " + ", ".join(
            f"{name} {size:.1f}" for size, name in largest(folder))]
        x = Xvfb()
        try:
            env = dict(os.environ, DISPLAY=x.display, QT_QPA_PLATFORM="xcb")
            exe = str(folder / "agentapp")
            app_argv = [exe, "--sandbox", "--profile", "bench-bundle"]
            bare_argv = [sys.executable, "-m", "bench.probe", "bare"]
            _time_window(app_argv, APP_TITLE, x, env)  # warm-up (page cache)
            _time_window(bare_argv, BARE_TITLE, x, env)
            app_ms: list[float] = []
            bare_ms: list[float] = []
            for _ in range(runs):
                bare_ms.append(_time_window(bare_argv, BARE_TITLE, x, env))
                app_ms.append(_time_window(app_argv, APP_TITLE, x, env))
        finally:
            x.close()
    finally:
        if built_here is not None:
            shutil.rmtree(built_here, ignore_errors=True)
    return [Row("bundle", "bundled demo app: spawn -> window viewable (X)", "ms",
                tuple(app_ms), "bare PySide6 window (venv), same way", tuple(bare_ms))], lines
