"""Large answers decode item by item, giving the event loop (the UI) a turn between them,
and always to exactly what ``json.loads`` gives."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentapp.api.cooperative_json import loads_cooperatively
from agentapp.api.responses import achecked_body, checked_body

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=20)
documents = st.dictionaries(st.text(max_size=8), values | st.lists(values, max_size=30),
                            max_size=6) | values


@settings(max_examples=150)
@given(doc=documents, indent=st.sampled_from([None, 0, 2]), every=st.integers(1, 5))
def test_same_result_as_json_loads(doc: Any, indent: int | None, every: int) -> None:
    text = json.dumps(doc, indent=indent)
    assert asyncio.run(loads_cooperatively(text, every=every)) == json.loads(text)


@pytest.mark.parametrize("text", [
    '{"data": [1, 2,', '{"data": [1 2]}', '{"a": 1} trailing', '{"a" 1}', "", "[1,]",
    '{"data": [{"x": }]}',
])
def test_malformed_fails_like_json_loads(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        asyncio.run(loads_cooperatively(text))


def test_the_loop_runs_between_slices() -> None:
    text = json.dumps({"status": 200, "data": [{"id": i} for i in range(2_000)]})
    turns: list[int] = []

    async def other_work() -> None:
        while True:
            turns.append(1)
            await asyncio.sleep(0)

    async def body() -> Any:
        task = asyncio.create_task(other_work())
        await asyncio.sleep(0)
        before = len(turns)
        result = await loads_cooperatively(text, every=500)
        during = len(turns) - before
        task.cancel()
        return result, during

    result, during = asyncio.run(body())
    assert len(result["data"]) == 2_000
    assert during >= 3  # 2,000 items in slices of 500: the other task ran in between


def test_checked_body_agrees_for_large_and_small_answers() -> None:
    big = json.dumps({"status": 200, "data": [{"logid": str(i)} for i in range(20_000)]}).encode()
    assert len(big) > 256 * 1024
    assert asyncio.run(achecked_body(200, {}, big)) == checked_body(200, {}, big)
