"""A headless stand-in for the IVR Solutions API, with a simulated call centre behind it.

See docs/sandbox.md. No Qt here: it runs on any asyncio loop.
"""

from .config import DEMO_TOKEN, SandboxConfig
from .server import SandboxServer

__all__ = ["DEMO_TOKEN", "SandboxConfig", "SandboxServer"]
