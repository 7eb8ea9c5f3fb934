"""A clone must be complete: no file points outside the repository, no docs link is dead.

Docs once cited a design file and an API reference that lived beside the checkout
and never came with a clone; this keeps that from coming back.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache",
             ".pytest_cache", ".hypothesis"}

# Built from pieces so this file does not match itself.
_PARENT_SHARED = re.compile(r"\.\./" + "shared" + r"\b")
# An absolute path into the machine's work tree ("/" + "work/..."), not preceded by a path char
# (so "config/agentapp/work/settings.json" is fine).
_ABSOLUTE_WORK = re.compile(r"(?<![\w./~-])/" + "work" + r"/")

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                             check=True).stdout.decode()
        files = [REPO / name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk it
        files = [p for p in REPO.rglob("*")
                 if p.is_file() and not SKIP_DIRS & set(p.relative_to(REPO).parts)]
    return [p for p in files if p.is_file()]


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None  # binary (screenshots, icons)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _doc_files() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def _anchors(markdown: str) -> set[str]:
    return {slug(h) for h in _HEADING.findall(_FENCE.sub("", markdown))}


def _links(markdown: str) -> list[str]:
    prose = _INLINE_CODE.sub("", _FENCE.sub("", markdown))
    return _LINK.findall(prose)


def test_the_checks_see_what_they_look_for() -> None:
    assert _PARENT_SHARED.search("see [design](" + "../" + "shared/DESIGN.md)")
    assert _ABSOLUTE_WORK.search("cat /" + "work/main/README.md")
    assert not _ABSOLUTE_WORK.search('data_dirs / "config/agentapp/work/settings.json"')
    assert _links("[a](docs/x.md#y) `[b](no.md)` ![c](img.png)") == ["docs/x.md#y", "img.png"]
    assert slug("Live call state by logid (*guess*: \"check it\")") == \
        "live-call-state-by-logid-guess-check-it"
    assert slug("Answers (envelopes)") == "answers-envelopes"


def test_no_tracked_file_points_outside_the_repository() -> None:
    offenders = []
    for path in _tracked_files():
        text = _text(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if _PARENT_SHARED.search(line) or _ABSOLUTE_WORK.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not offenders, "paths outside the repository:\n" + "\n".join(offenders)


@pytest.mark.parametrize("doc", _doc_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_relative_link_in_the_docs_resolves(doc: Path) -> None:
    markdown = doc.read_text(encoding="utf-8")
    broken = []
    for target in _links(markdown):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        resolved = (doc.parent / path_part).resolve() if path_part else doc
        if not resolved.is_relative_to(REPO):
            broken.append(f"{target}: leaves the repository")
            continue
        if not resolved.exists():
            broken.append(f"{target}: no such file")
            continue
        if (anchor and resolved.suffix == ".md"
                and anchor not in _anchors(resolved.read_text(encoding="utf-8"))):
            broken.append(f"{target}: no heading with anchor #{anchor}")
    assert not broken, f"dead links in {doc.relative_to(REPO)}:\n" + "\n".join(broken)
