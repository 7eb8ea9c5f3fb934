"""A signed-in start reads its token through the keyring helper: keyring stays out of the app.

The app runs as a real process through ``agentapp.app.run_window`` (its own start
path, offscreen), against the sandbox on loopback; its token is only in the
keyring the helper finds (``testkit.helper_keyrings.EnvKeyring``), so a session
that starts signed in proves the helper delivered it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from agentapp.sandbox.thread import SandboxThread
from testkit.helper_keyrings import PROFILE_ENV, TOKEN_ENV

REPO = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from agentapp.app import make_qapp, run_window
from agentapp.cli import parse_launch
from agentapp.single_instance import SingleInstance, instance_name

launch = parse_launch(sys.argv[1:])
app = make_qapp()
single = SingleInstance(instance_name(launch.profile))
single.listen()

async def watch(runtime):
    await runtime.started.wait()
    services = runtime.services
    print("SESSION", services.session.base_url if services is not None else "none", flush=True)
    loaded = [m for m in ("keyring", "secretstorage", "jeepney") if m in sys.modules]
    print("LOADED", *loaded, flush=True)
    runtime.quit()

try:
    sys.exit(run_window(app, launch, single, env_token=None, env_relay=None, watch=watch))
finally:
    single.close()
"""


def test_signed_in_start_leaves_keyring_out_of_the_app(
        sandbox: SandboxThread, data_dirs: Path) -> None:
    profile = f"helper-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "AGENTAPP_TOKEN"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO),
               PYTHON_KEYRING_BACKEND="testkit.helper_keyrings.EnvKeyring",
               **{TOKEN_ENV: sandbox.token, PROFILE_ENV: profile})
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--api-url", sandbox.base_url, "--extension", "2101",
         "--did", "+911143104567", "--profile", profile],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = {word: rest for word, _, rest in (line.partition(" ")
                                              for line in done.stdout.splitlines())}
    assert lines.get("SESSION") == sandbox.base_url, done.stdout + done.stderr[-2000:]
    assert lines.get("LOADED") == "", f"loaded in the app: {lines.get('LOADED')}"
