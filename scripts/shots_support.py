"""What every screenshot script shares: a throw-away settings tree, and the demo app run
once per theme with a ``shoot`` coroutine beside it.

The scripts are run as ``python scripts/<name>.py`` (so this folder is on sys.path).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
THEMES = ("light", "dark")

Shoot = Callable[[Any, str, Path], Coroutine[Any, Any, None]]


async def until(predicate: Callable[[], object], within: float = 20.0) -> None:
    """Wait for a scene to settle (the deadline is an upper bound, never a sleep)."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("screenshot scene did not settle")
        await asyncio.sleep(0.05)


def private_settings_tree(prefix: str = "agentapp-shots-") -> None:
    """Settings, data, state and cache in a temporary folder: nothing of the machine's."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = os.path.join(tmp, var.lower())


def out_dir() -> Path:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    return out


def run_demo_per_theme(shoot: Shoot, out: Path, *, profile_prefix: str,
                       memory_keyring: bool = False, **runtime_kwargs: Any) -> None:
    """Start the demo app once per theme and run ``shoot(runtime, theme, out)`` beside it;
    ``shoot`` quits the runtime when its pictures are taken."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from agentapp.cli import parse_launch
    from agentapp.runtime import AppRuntime
    from agentapp.single_instance import SingleInstance, instance_name

    if memory_keyring:  # the repository's in-memory keyring (testkit is not installed)
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from agentapp.secrets import AsyncSecretStore, SecretStore
        from testkit.keyrings import MemoryKeyring
        runtime_kwargs["secrets"] = AsyncSecretStore(SecretStore(MemoryKeyring()))
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    for theme in THEMES:
        profile = f"{profile_prefix}-{theme}"
        single = SingleInstance(instance_name(profile))
        single.listen()
        runtime = AppRuntime(app, parse_launch(["--sandbox", "--profile", profile]), single,
                             install_hooks=False, **runtime_kwargs)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            shot = loop.create_task(shoot(runtime, theme, out))
            loop.run_until_complete(runtime.run())
            shot.result()
        single.close()
