"""The interface language: which one, and the Qt translator that provides it.

Translations are Qt's own: ``tr()`` in the widgets, ``.ts`` sources in this
package (``agentapp_<lang>.ts``, kept in git), compiled to ``.qm`` by Qt's
``lrelease``. A bundle or wheel ships the ``.qm`` next to the ``.ts``
(``packaging/agentapp.spec`` compiles it); a source checkout or editable install
compiles it at first use into the user cache, keyed by the ``.ts`` content, so
an edited ``.ts`` is picked up at the next start (docs/translations.md).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent
# ui/language values and what the Settings choice reads (each name in its own language).
LANGUAGE_LABELS = {"system": "System", "en": "English", "hi": "हिन्दी"}
TRANSLATED = ("hi",)  # languages with a .ts here; English is the source text
LRELEASE_TIMEOUT_S = 30


def ts_path(lang: str) -> Path:
    return I18N_DIR / f"agentapp_{lang}.ts"


def pick_language(choice: str, system_locale: str) -> str:
    """``ui/language`` ("system", "en", "hi", or a label) and the OS locale -> "en"/"hi"."""
    by_label = {label: code for code, label in LANGUAGE_LABELS.items()}
    choice = by_label.get(choice, choice)
    if choice == "system":
        choice = system_locale.replace("-", "_").split("_")[0].lower()
    return choice if choice in TRANSLATED else "en"


def lrelease() -> Path | None:
    """Qt's lrelease, shipped in the PySide6 wheel (PySide6-Essentials)."""
    import PySide6

    exe = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    for candidate in (Path(PySide6.__file__).parent / exe,
                      Path(PySide6.__file__).parent / "Qt" / "bin" / exe):
        if candidate.is_file():
            return candidate
    import shutil

    found = shutil.which("pyside6-lrelease")
    return Path(found) if found else None


def compile_ts(ts: Path, qm: Path) -> None:
    """``lrelease ts -qm qm``; raises RuntimeError saying what went wrong."""
    import subprocess

    tool = lrelease()
    if tool is None:
        raise RuntimeError("Qt's lrelease was not found (it ships with PySide6-Essentials)")
    qm.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True, timeout=LRELEASE_TIMEOUT_S,
                                check=False)
    except subprocess.SubprocessError as exc:
        raise RuntimeError(f"lrelease failed on {ts.name}: {exc}") from exc
    if result.returncode != 0 or not qm.is_file():
        raise RuntimeError(f"lrelease failed on {ts.name}: {result.stderr.strip()[:300]}")


def qm_file(lang: str, cache_dir: Path | None = None) -> Path:
    """The compiled catalogue for ``lang``: shipped next to the .ts, else built into the cache."""
    shipped = I18N_DIR / f"agentapp_{lang}.qm"
    ts = ts_path(lang)
    if shipped.is_file() and (not ts.is_file() or shipped.stat().st_mtime >= ts.stat().st_mtime):
        return shipped
    if cache_dir is None:
        import platformdirs

        from agentapp.paths import APP_DIR_NAME

        cache_dir = Path(platformdirs.user_cache_dir(APP_DIR_NAME)) / "i18n"
    import hashlib

    digest = hashlib.sha256(ts.read_bytes()).hexdigest()[:16]
    qm = cache_dir / f"agentapp_{lang}-{digest}.qm"
    if not qm.is_file():
        compile_ts(ts, qm)
    return qm


def install_translator(app: QCoreApplication, choice: str,
                       cache_dir: Path | None = None) -> QTranslator | None:
    """Install the translator for ``choice``; None when the interface stays in English.

    A missing or broken catalogue is logged and the app stays in English: a
    language must never stop the app from starting.
    """
    from PySide6.QtCore import QLocale, QTranslator

    lang = pick_language(choice, QLocale.system().name())
    if lang == "en":
        return None
    translator = QTranslator(app)
    try:
        loaded = translator.load(str(qm_file(lang, cache_dir)))
    except (OSError, RuntimeError) as exc:
        log.warning("no %s translation, staying in English: %s", lang, exc)
        return None
    if not loaded:
        log.warning("the %s translation could not be loaded, staying in English", lang)
        return None
    app.installTranslator(translator)
    return translator
