"""The shared AsyncClient's settings, and the api layer's independence from Qt."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx

from agentapp.api.client import make_http_client


def test_timeouts_and_user_agent() -> None:
    async def build() -> tuple[httpx.Timeout, str]:
        async with make_http_client("9.8.7") as http:
            return http.timeout, http.headers["User-Agent"]

    timeout, agent = asyncio.run(build())
    assert (timeout.connect, timeout.read) == (5.0, 15.0)
    assert agent == "agentapp/9.8.7"


def test_api_and_doctor_import_without_qt() -> None:
    code = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['qasync'] = None\n"
        "import agentapp.api.client, agentapp.services.doctor\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules if sys.modules[m])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stderr
