"""The Content-Type reading both webhook servers share (services.delivery_checks)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentapp.services.delivery_checks import is_json, parse_content_type

TOKEN = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+.^_`|~-",
                min_size=1, max_size=12)
QUOTABLE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12)


@pytest.mark.parametrize(("value", "parsed"), [
    ("application/json", ("application/json", {})),
    ("Application/JSON; Charset=UTF-8", ("application/json", {"charset": "UTF-8"})),
    ('application/json;charset="utf-8"', ("application/json", {"charset": "utf-8"})),
    ("application/json;", ("application/json", {})),
    ('text/plain ; a="x\\"y;z" ;b=1', ("text/plain", {"a": 'x"y;z', "b": "1"})),
    ("application/json; charset=utf-8; charset=latin-1", ("application/json",
                                                          {"charset": "utf-8"})),
    ("", None), ("application", None), ("application/json; charset", None),
    ('application/json; a="open', None), ("application/json, text/html", None),
    ("application/json; a=b c", None), ("appli cation/json", None),
])
def test_content_type_values(value: str, parsed: tuple[str, dict[str, str]] | None) -> None:
    assert parse_content_type(value) == parsed


@given(kind=TOKEN, sub=TOKEN, params=st.lists(st.tuples(TOKEN, QUOTABLE), max_size=4))
def test_any_well_formed_value_reads_back(kind: str, sub: str,
                                          params: list[tuple[str, str]]) -> None:
    quoted = ['"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for _, v in params]
    value = f"{kind}/{sub}" + "".join(f"; {n}={q}" for (n, _), q in zip(params, quoted,
                                                                          strict=True))
    expected: dict[str, str] = {}
    for name, raw in params:
        expected.setdefault(name.lower(), raw)
    assert parse_content_type(value) == (f"{kind}/{sub}".lower(), expected)


@pytest.mark.parametrize(("value", "accepted"), [
    (None, False), ("application/json", True), ("APPLICATION/JSON; charset=utf8", True),
    ('application/json; charset="UTF-8"', True), ("application/json; charset=latin-1", False),
    ("application/jsonx", False), ("text/json", False), ("application/json; charset", False),
])
def test_only_json_in_utf8_is_json(value: str | None, accepted: bool) -> None:
    assert is_json(value) is accepted
