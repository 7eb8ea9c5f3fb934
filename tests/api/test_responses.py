"""Error mapping rules of the wire contract, on raw (status, headers, bytes)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentapp.api.errors import (
    ApiError,
    AuthError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from agentapp.api.responses import checked_body, field_from_message, retry_after_seconds

JSON = {"content-type": "application/json"}


def _body(obj: object) -> bytes:
    return json.dumps(obj).encode()


def test_405_with_status_401_is_auth() -> None:
    with pytest.raises(AuthError) as caught:
        checked_body(405, JSON, _body({"status": 401, "message": "Method Not Allowed 1"}))
    assert "Settings → API token" in caught.value.user_message


def test_http_200_with_body_status_401_is_auth() -> None:
    with pytest.raises(AuthError):
        checked_body(200, JSON, _body({"status": 401, "message": "Invalid token"}))


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("phone is required", "phone"),
        ("call_status is invalid", "call_status"),
        ("Did No. Invalid", "did"),
        ("Something odd", None),
    ],
)
def test_400_names_the_field(message: str, field: str | None) -> None:
    with pytest.raises(ValidationError) as caught:
        checked_body(400, JSON, _body({"status": 400, "message": message}))
    assert caught.value.field == field


def test_404_json_is_not_found_but_html_404_is_path_missing() -> None:
    with pytest.raises(NotFoundError) as json_404:
        checked_body(404, JSON, _body({"status": 404, "message": "logid not found"}))
    assert not json_404.value.path_missing
    with pytest.raises(NotFoundError) as html_404:
        checked_body(404, {"content-type": "text/html"}, b"<html><body>Not Found</body></html>")
    assert html_404.value.path_missing
    assert "--check-api" in html_404.value.user_message
    with pytest.raises(NotFoundError) as generic_404:
        checked_body(404, JSON, _body({"status": 404, "message": "Not Found"}))
    assert generic_404.value.path_missing


def test_429_carries_retry_after() -> None:
    with pytest.raises(RateLimitedError) as caught:
        checked_body(429, {**JSON, "retry-after": "3"}, _body({"status": 429}))
    assert caught.value.retry_after == 3.0


def test_retry_after_as_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:10 GMT", now) == 10.0
    assert retry_after_seconds("soon", now) is None


def test_5xx_is_server_error_with_code() -> None:
    with pytest.raises(ServerError) as caught:
        checked_body(503, {}, b"")
    assert caught.value.status_code == 503


@pytest.mark.parametrize(
    "content", [b"<!DOCTYPE html><html>oops</html>", b'{"status":200,"da', b"", b"\xff\xfe"]
)
def test_non_json_success_is_malformed(content: bytes) -> None:
    with pytest.raises(MalformedResponseError):
        checked_body(200, {}, content)


def test_status_false_maps_by_message() -> None:
    with pytest.raises(NotFoundError) as caught:
        checked_body(200, JSON, _body({"status": False, "message": "Contact not found"}))
    assert not caught.value.path_missing
    with pytest.raises(ApiError):
        checked_body(200, JSON, _body({"status": "error", "message": "Something broke"}))
    with pytest.raises(AuthError):
        checked_body(200, JSON, _body({"status": "error", "message": "Invalid token"}))


@pytest.mark.parametrize("status", [200, "200", True, "true"])
def test_success_envelopes_pass(status: object) -> None:
    assert checked_body(200, JSON, _body({"status": status, "data": []}))["data"] == []


def test_body_without_status_passes() -> None:
    assert checked_body(200, JSON, _body({"data": [1]})) == {"data": [1]}


@settings(max_examples=200, deadline=None)
@given(code=st.integers(100, 599), content=st.binary(max_size=64))
def test_any_answer_is_a_body_or_an_api_error(code: int, content: bytes) -> None:
    try:
        checked_body(code, {}, content)
    except ApiError as err:
        assert err.user_message


def test_field_from_message_spacing() -> None:
    assert field_from_message("record_id is required") == "record_id"
