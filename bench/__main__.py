"""``python -m bench [click|webhook|startup|memory|history|audio|relay|soak|bundle ...]``.

With no names every bench runs except ``relay`` (opt-in: ~3 minutes of load,
500 NATS connections; it prints its own table, see bench/relay.py) and ``soak``
(opt-in: 50,000+ events and timers through the signed-in app, bench/soak.py) and
``bundle`` (opt-in: builds the PyInstaller bundle unless ``--dist`` names one; its size
and its start-up on a private Xvfb, bench/bundle.py). Figures are
ratios against a baseline measured in the same run, next to the absolute
medians and p95s (docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bench.harness import isolate_home, run_qt
from bench.stats import Row, markdown, table

BENCHES = ("click", "webhook", "startup", "memory", "history", "audio", "dispositions")
OPT_IN = ("relay", "soak", "bundle")


def _in_qt(names: Sequence[str], iterations: int, warmup: int) -> list[Row]:
    from bench import click, webhook

    async def body() -> list[Row]:
        rows: list[Row] = []
        if "click" in names:
            rows += await click.run(iterations, warmup)
        if "webhook" in names:
            rows += await webhook.run(iterations, warmup)
        return rows

    return run_qt(body)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("benches", nargs="*", metavar="BENCH",
                        help=f"any of {', '.join(BENCHES)} (default: all)")
    parser.add_argument("-n", "--iterations", type=int, default=30,
                        help="timed iterations of click and webhook (default 30)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="untimed iterations first (default 3)")
    parser.add_argument("--runs", type=int, default=5,
                        help="processes per startup/memory figure (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--dist", type=Path, default=None,
                        help="bundle: a built one-folder bundle (default: build one)")
    args = parser.parse_args(argv)
    names = args.benches or list(BENCHES)
    unknown = sorted(set(names) - set(BENCHES) - set(OPT_IN))
    if unknown:
        parser.error(f"unknown bench {', '.join(unknown)}; choose from "
                     f"{', '.join(BENCHES + OPT_IN)}")
    if "audio" in names:
        from bench.audio import keep_pulse_reachable

        keep_pulse_reachable()
    isolate_home()
    started = time.perf_counter()
    rows: list[Row] = []
    reliability_line = ""
    if "dispositions" in names:  # a count, not a ratio: lost and duplicated must be 0
        from bench import reliability

        result = reliability.run()
        reliability_line = reliability.report(result)
    if "click" in names or "webhook" in names:
        rows += _in_qt(names, args.iterations, args.warmup)
    if "soak" in names:
        from bench import soak

        rows += run_qt(soak.run)
    if "history" in names:
        from bench import history

        rows += history.run(args.iterations, args.runs)
    if "startup" in names or "memory" in names:
        from bench import startup

        if "startup" in names:
            rows += startup.run_startup(args.runs)
        if "memory" in names:
            rows += startup.run_memory(args.runs)
    if "audio" in names:
        from bench import audio

        rows += audio.run(args.iterations)
    bundle_lines: list[str] = []
    if "bundle" in names:
        from bench import bundle

        bundle_rows, bundle_lines = bundle.run(args.runs, args.dist)
        rows += bundle_rows
    print(f"# {platform.python_implementation()} {platform.python_version()} on "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM')}; "
          f"took {time.perf_counter() - started:.1f} s")
    if rows:
        print(markdown(rows) if args.markdown else table(rows))
    for line in bundle_lines:
        print(line)
    if "relay" in names:
        from bench import relay

        print(relay.table(relay.run()))
    if reliability_line:
        print(reliability_line)
        if result.lost or result.duplicated:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
