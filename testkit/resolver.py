"""A resolver seam: make name lookups of chosen hosts fail, as a DNS outage would.

httpx (through httpcore and anyio) resolves a host name with the loop's
``getaddrinfo``, which calls ``socket.getaddrinfo`` in an executor, looked up
at call time. Replacing that one function is the true boundary (the OS
resolver): everything above it, from the error mapping to the status strip,
runs as it would when the name servers are gone. Only the hosts named fail,
with the error glibc gives for an unknown name (``EAI_NONAME``); addresses
given as IPs (the sandbox's control calls, webhook deliveries) are untouched.
While no outage is on, the named hosts resolve to loopback here too, so the test
does not depend on the machine's /etc/hosts (a fresh debootstrap'ed Debian root
has none, and "localhost" then does not resolve at all).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FailingResolver:
    hosts: frozenset[str]
    failing: bool = False
    failures: int = 0
    _real: Any = field(default=socket.getaddrinfo, repr=False)

    def getaddrinfo(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.lower() in self.hosts:
            if self.failing:
                self.failures += 1
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return self._real("127.0.0.1", *args, **kwargs)
        return self._real(host, *args, **kwargs)


@contextlib.contextmanager
def failing_resolver(*hosts: str) -> Iterator[FailingResolver]:
    """Install the seam for ``hosts``; set ``.failing`` to start and end the outage."""
    resolver = FailingResolver(frozenset(h.lower() for h in hosts), _real=socket.getaddrinfo)
    saved = socket.getaddrinfo
    socket.getaddrinfo = resolver.getaddrinfo
    try:
        yield resolver
    finally:
        socket.getaddrinfo = saved
