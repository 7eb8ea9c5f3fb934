"""Hindi interface: the Qt way (tr(), .ts in the repo, .qm compiled by lrelease).

Every string the translated widgets wrap must be in the .ts with a finished
translation (so translations cannot silently fall behind the code), and with
Hindi chosen the main window's menus, a screen pop and the disposition form
really show Hindi and keep their accessible names.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from agentapp import i18n
from agentapp.cli import parse_launch
from agentapp.settings import UI_GEOMETRY, UI_LANGUAGE, UI_THEME, Settings
from agentapp.startup import (
    SHELL_GEOMETRY_KEY,
    SHELL_LANGUAGE_KEY,
    SHELL_THEME_KEY,
    ShellPrefs,
    shell_prefs,
)
from agentapp.ui.disposition_form import DispositionForm, state_words
from agentapp.ui.main_window import MainWindow
from agentapp.ui.screen_pop import PopView, ScreenPopWindow

REPO = Path(__file__).resolve().parents[1]
TRANSLATED_SOURCES = [REPO / "agentapp" / "ui" / name for name in
                      ("main_window.py", "screen_pop.py", "disposition_form.py",
                       "starting_shell.py")]
DEVANAGARI = re.compile("[\u0900-\u097f]")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


Key = tuple[str, str, str]  # context, source, disambiguation ("" when none)


def _wrapped_strings(path: Path) -> set[Key]:
    """Every ``self.tr("…"[, "disambiguation"])`` and ``QCoreApplication.translate``."""
    found: set[Key] = set()

    def visit(node: ast.AST, cls: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
                args = child.args
                literal = [a.value for a in args if isinstance(a, ast.Constant)
                           and isinstance(a.value, str)]
                if child.func.attr == "tr" and isinstance(child.func.value, ast.Name) \
                        and child.func.value.id == "self":
                    assert len(literal) == len(args) in (1, 2), (
                        f"{path.name}:{child.lineno}: tr() takes string literals")
                    found.add((cls, literal[0], literal[1] if len(literal) == 2 else ""))
                elif child.func.attr == "translate":
                    assert len(literal) == 2 == len(args), (
                        f"{path.name}:{child.lineno}: translate(context, literal)")
                    found.add((literal[0], literal[1], ""))
            visit(child, cls)

    visit(ast.parse(path.read_text(encoding="utf-8")), "")
    return found


def _catalogue() -> dict[Key, ET.Element]:
    root = ET.parse(i18n.ts_path("hi")).getroot()
    return {(ctx.findtext("name", ""), msg.findtext("source", ""), msg.findtext("comment", "")):
             msg
            for ctx in root.iter("context") for msg in ctx.iter("message")}


def test_every_wrapped_string_has_a_finished_hindi_translation() -> None:
    catalogue = _catalogue()
    wrapped = set().union(*(_wrapped_strings(path) for path in TRANSLATED_SOURCES))
    assert len(wrapped) > 50  # the extraction found the widgets' strings
    missing = sorted(wrapped - catalogue.keys())
    assert not missing, f"add these to {i18n.ts_path('hi').name} (pyside6-lupdate): {missing}"
    for key in wrapped:
        translation = catalogue[key].find("translation")
        assert translation is not None and translation.text, key
        assert translation.get("type") not in ("unfinished", "obsolete", "vanished"), key
        assert DEVANAGARI.search(translation.text), key
        # The code fills {placeholders} and Qt reads &mnemonics: both must survive.
        assert sorted(PLACEHOLDER.findall(translation.text)) == sorted(
            PLACEHOLDER.findall(key[1])), key
        assert ("&" in key[1]) == ("&" in translation.text), key


def test_no_translation_without_a_source() -> None:
    """Strings that left the code leave the .ts too (lupdate -no-obsolete)."""
    wrapped = set().union(*(_wrapped_strings(path) for path in TRANSLATED_SOURCES))
    assert set(_catalogue()) <= wrapped


@pytest.mark.parametrize(("choice", "system", "expected"), [
    ("system", "hi_IN", "hi"), ("system", "en_GB", "en"), ("system", "C", "en"),
    ("hi", "en_US", "hi"), ("हिन्दी", "en_US", "hi"), ("English", "hi_IN", "en"),
    ("en", "hi_IN", "en"), ("ta", "ta_IN", "en"), ("System", "hi-IN", "hi"),
])
def test_pick_language(choice: str, system: str, expected: str) -> None:
    assert i18n.pick_language(choice, system) == expected


def test_shell_prefs_read_only_and_forgiving() -> None:
    declared = (UI_THEME.key, UI_LANGUAGE.key, UI_GEOMETRY.key)
    assert declared == (SHELL_THEME_KEY, SHELL_LANGUAGE_KEY, SHELL_GEOMETRY_KEY)
    assert shell_prefs(None) == ShellPrefs()
    assert shell_prefs(b"\xff{not json") == ShellPrefs()
    assert shell_prefs(b"[1, 2]") == ShellPrefs()
    assert shell_prefs(b'{"ui/theme": "neon", "ui/geometry": "!!"}') == ShellPrefs()
    assert shell_prefs(b'{"ui/theme": "dark", "ui/language": "hi", "ui/geometry": "AAEC"}'
                       ) == ShellPrefs("dark", "hi", b"\x00\x01\x02")


def test_shell_prefs_match_what_settings_writes(data_dirs: Path) -> None:
    settings = Settings.for_profile("i18n")
    settings.set(UI_THEME, "dark")
    settings.set(UI_LANGUAGE, "hi")
    settings.set(UI_GEOMETRY, b"\x01\x02geometry")
    settings.save()
    assert shell_prefs(settings.path.read_bytes()) == ShellPrefs("dark", "hi",
                                                                 b"\x01\x02geometry")


@pytest.fixture
def hindi(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    """Hindi installed the way the app does it (compiled into a fresh cache), then removed."""
    translator = i18n.install_translator(qapp, "hi", cache_dir=tmp_path / "cache")
    assert translator is not None, "the Hindi catalogue did not compile or load"
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


def test_broken_catalogue_keeps_english(qapp: QApplication, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "agentapp_hi.ts"
    broken.write_text("<TS><context><name>x</name>", encoding="utf-8")
    monkeypatch.setattr(i18n, "ts_path", lambda _lang: broken)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    assert i18n.install_translator(qapp, "hi", cache_dir=tmp_path / "cache") is None
    assert i18n.install_translator(qapp, "en") is None


def test_main_window_menus_in_hindi(hindi: None, qtbot: QtBot) -> None:
    window = MainWindow("IN")
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[:4] == ["फ़ाइल (&F)", "कॉल (&C)", "दृश्य (&V)", "टूल्स (&T)"]
    assert window.sign_in_action.text() == "IVR Solutions में साइन इन करें… (&S)"
    assert window.call_action.text() == "कॉल करें (&C)"
    assert window.cancel_action.toolTip().startswith("नंबर फ़ील्ड खाली करें।")
    window.set_identity("Demo agent", demo=True, signed_in=False)
    assert "डेमो मोड" in window.banner.text()
    assert window.statusBar().currentMessage() == "शुरू हो रहा है…"
    window.show_notice("settings.json was reset")
    assert window.notice.accessibleName() == "सूचना: settings.json was reset"
    assert window._scroll.accessibleName() == "कॉल कार्ड"


def test_screen_pop_in_hindi(hindi: None, qtbot: QtBot) -> None:
    pop = ScreenPopWindow()
    qtbot.addWidget(pop)
    pop.show_view(PopView(title="Incoming call", name="", company="", number="+91 98765 43210",
                          e164="+919876543210", line="", ivr_choice="", recent=(),
                          last_remark="wants a refund", status="", can_dispose=True))
    assert pop.name.text() == "अज्ञात कॉलर"
    assert pop.recent.text() == "पहले कोई कॉल नहीं हुई।"
    assert pop.remark.text() == "पिछली टिप्पणी: wants a refund"
    buttons = {b.text() for b in pop.findChildren(QPushButton)}
    assert {"वापस कॉल करें", "इतिहास", "संपर्क सहेजें", "डिस्पोज़िशन…", "बंद करें"} <= buttons
    assert pop.number.accessibleName() == "नंबर: +91 98765 43210"
    assert pop.recent.accessibleName() == "पिछली कॉल: कोई नहीं"
    assert pop.contact_button.accessibleName() == "संपर्क सहेजें"


def test_disposition_form_in_hindi(hindi: None, qtbot: QtBot) -> None:
    form = DispositionForm("Wrap-up", clock=lambda: 1000.0)
    qtbot.addWidget(form)
    assert form.save_button.text() == "डिस्पोज़िशन सहेजें"
    assert form.remark.placeholderText() == "टिप्पणी (वैकल्पिक)"
    assert form.statuses.accessibleName() == "डिस्पोज़िशन"
    assert form.state_label.text().startswith("डिस्पोज़िशन: कोई नहीं (खाते के स्टेटस")
    form.set_statuses([(1, "Interested"), (2, "Call back later")])
    form.set_state("failed", "HTTP 500")
    assert form.save_button.text() == "बदलें और फिर भेजें"
    assert form.save_button.accessibleName() == "डिस्पोज़िशन बदलें और फिर भेजें"
    assert form.state_label.accessibleName() == (
        "डिस्पोज़िशन की स्थिति: स्वीकार नहीं हुआ: HTTP 500")
    assert state_words("pending") == "सहेजा गया, भेजा जा रहा है"
    assert form.timer_label.text() == "रैप-अप 00:00"
    assert form.timer_label.accessibleName() == "कॉल के बाद का काम: 00:00"


def test_english_without_a_translator(qtbot: QtBot) -> None:
    form = DispositionForm("Wrap-up", clock=lambda: 1000.0)
    qtbot.addWidget(form)
    assert form.save_button.text() == "Save disposition"
    assert state_words("sent") == "sent"


def test_app_start_path_installs_hindi_from_settings(qapp: QApplication, qtbot: QtBot,
                                                     data_dirs: Path) -> None:
    """``agentapp.app.show_shell`` reads ui/language and installs Qt's translator."""
    from agentapp.app import show_shell

    settings = Settings.for_profile("hindi")
    settings.set(UI_LANGUAGE, "hi")
    settings.save()
    shell = show_shell(qapp, parse_launch(["--profile", "hindi"]))
    qtbot.addWidget(shell)
    try:
        assert shell.painted
        assert shell.state.text() == "शुरू हो रहा है… अभी कनेक्ट नहीं हुआ।"
        assert shell.accessibleName() == "Agent Companion, शुरू हो रहा है"
        window = MainWindow("IN")
        qtbot.addWidget(window)
        assert window.menuBar().actions()[0].text() == "फ़ाइल (&F)"
    finally:
        from PySide6.QtCore import QTranslator

        for translator in qapp.findChildren(QTranslator):
            QCoreApplication.removeTranslator(translator)
            translator.deleteLater()
