"""`make bench`: every benchmark builds its own data, runs the project's path and the raw-database path on
the same data, and prints both figures and their ratio. `python -m bench foundation|roster` runs one."""

from __future__ import annotations

import subprocess
import sys

SUITES = ("foundation", "roster", "planning", "commitments", "oversight", "feedback")
# Run only when named: the load test needs PostgreSQL and starts a server (`python -m bench feedback_load`).
ON_DEMAND = ("feedback_load",)

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SUITES)
    for suite in chosen:
        if suite not in SUITES + ON_DEMAND:
            raise SystemExit(f"unknown suite {suite}; choose from {', '.join(SUITES + ON_DEMAND)}")
        print(f"== {suite} ==", flush=True)
        subprocess.run([sys.executable, "-m", f"bench.{suite}"], check=True)
