"""Shared helpers: Django set-up on a throw-away database, medians, a child process per measured operation."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database_url: str) -> None:
    """Point Django at `database_url` and set it up (call before importing models)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    # Production-like: DEBUG off (the debug cursor wrapper would be measured too).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def median_ms(fn, reps: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of `fn` in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def report(name: str, ours: float, raw: float, unit: str = "ms") -> None:
    """One line: our figure, the raw-database figure, their ratio."""
    print(
        f"{name:<58} ours {ours:10.3f} {unit}   raw {raw:10.3f} {unit}   ratio {ours / raw:6.2f}x", flush=True
    )


def child(module: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run `python -m <module> <args>` in a fresh process; it prints one JSON line (with its peak memory)."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{module} {args} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_mb() -> float:
    """Peak resident memory of this process, in MB: VmHWM, which starts afresh at exec (getrusage's
    ru_maxrss would also count the parent's pages copied by fork before the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
