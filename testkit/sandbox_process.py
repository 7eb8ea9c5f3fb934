"""The sandbox in a process of its own: what a test measuring the app's loop needs.

``SandboxThread`` runs the sandbox inside the test process, so its work
competes with the app for the GIL; on a loaded machine a sandbox thread that
holds the GIL and is then preempted stalls the app's loop for hundreds of ms,
which the heartbeat would blame on the app. Here the sandbox is
``python -m testkit.sandbox_process '<config as JSON>'`` (the sandbox's own
``serve``), as the real API is another machine: only the app runs in the test
process. ``kill()`` is SIGKILL (the server dies, the kernel closes its
sockets); ``stop()`` is SIGTERM (a clean shutdown).

Same surface as ``SandboxThread`` where the suite uses it: ``base_url``,
``token``, ``control()``, ``start()``, ``stop()``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

import httpx

from agentapp.sandbox.config import SandboxConfig

REPO = Path(__file__).resolve().parents[1]
READY = "Sandbox listening on "
START_TIMEOUT_S = 60.0


class SandboxProcess:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.token = config.token
        self.base_url = ""
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        """Start the process and wait for its URL (blocking: call it in an executor)."""
        fields = {f.name: getattr(self.config, f.name) for f in dataclasses.fields(self.config)
                  if f.name not in ("start_time", "token")}
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")]))}
        env["IVR_SANDBOX_TOKEN"] = self.config.token
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "testkit.sandbox_process", json.dumps(fields)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self.base_url = _read_url(self._proc)

    def stop(self) -> None:
        """SIGTERM and wait (blocking)."""
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL and wait (blocking): the server dies without a goodbye."""
        self._end(signal.SIGKILL)

    def _end(self, sig: signal.Signals) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def control(self, method: str, path: str, json: dict[str, Any] | None = None) -> Any:
        """Blocking call to the sandbox (control API or any endpoint) with the token."""
        response = httpx.request(method, self.base_url + path, json=json, timeout=30,
                                 headers={"Authorization": f"Bearer {self.token}"})
        response.raise_for_status()
        return response.json()


def _read_url(proc: subprocess.Popen[str]) -> str:
    stdout: IO[str] | None = proc.stdout
    assert stdout is not None
    for line in stdout:  # the process prints its URL once it listens
        if line.startswith(READY):
            return line[len(READY):].strip()
    code = proc.wait(START_TIMEOUT_S)
    raise RuntimeError(f"the sandbox process exited ({code}) before it listened")


def _main(argv: list[str]) -> int:
    from agentapp.sandbox.__main__ import serve

    fields = json.loads(argv[0])
    config = SandboxConfig(**fields, token=os.environ.get("IVR_SANDBOX_TOKEN") or
                           SandboxConfig().token)
    config.validate()
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
