"""Run a family of faults side by side (one rig each) and check the four promises.

For every fault: (a) the event loop never stalls over 100 ms (testkit.heartbeat,
run-queue wait subtracted), (b) the agent sees one clear state in words
(testkit.agent_view), (c) nothing reaches sys.excepthook or the loop's exception
handler (testkit.unhandled), (d) the app comes back by itself and a new call rings.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication

from testkit.fault_run import Fault, FaultResult, FaultRig
from testkit.heartbeat import STALL_LIMIT_S, heartbeat
from testkit.unhandled import record_unhandled


async def run_family(qapp: QApplication, faults: list[Fault],
                     rigs: list[FaultRig] | None = None) -> list[FaultResult]:
    rigs = rigs or [FaultRig(qapp) for _ in faults]
    with record_unhandled() as unhandled:
        try:
            await asyncio.gather(*(rig.start_sandbox() for rig in rigs))
            for rig in rigs:  # one at a time: starting apps is not what is measured
                await rig.start()
            async with heartbeat(freeze=True) as beat:
                results = await asyncio.gather(
                    *(rig.run(f) for rig, f in zip(rigs, faults, strict=True)))
        finally:
            await asyncio.gather(*(rig.stop() for rig in rigs), return_exceptions=True)
    report = "\n".join(r.row() for r in results) + f"\nloop: {beat.summary()}"
    print(report)  # the figures for the report (pytest -s)
    failures = [f"{r.name}: {r.error}" for r in results if r.error]
    assert not failures, "\n".join(failures) + "\n" + report
    for fault, result in zip(faults, results, strict=True):
        assert result.view.problems == [], (fault.name, result.view.problems)
        shown = set(result.view.states_seen)
        assert shown <= fault.may_show | {"online"}, (fault.name, result.view.states_seen)
        assert result.view.states_seen[-1] == "online", (fault.name, result.view.states_seen)
    assert unhandled.problems == [], unhandled.describe()
    assert beat.max_stall_s <= STALL_LIMIT_S, beat.summary()
    return list(results)
