"""Load test of the citizens' public intake against the production server set-up, on PostgreSQL.

`BENCH_DATABASE_URL=postgres://… python -m bench feedback_load` (PostgreSQL required): migrates the database,
adds the city's wards and their reports if missing (`generate_scale --people 0 --feedback`, count
`BENCH_FEEDBACK_N`, default 1,000,000; reused when present), collects the static files into a temporary
STATIC_ROOT, then starts gunicorn on 127.0.0.1 (a free port) with `config.settings.prod` (DEBUG off,
`CONN_MAX_AGE` 60 from the base settings, 2 × cores + 1 sync workers, `LAMTHEO_REPORT_RATE` raised: every
client is 127.0.0.1, one rate-limit counter), and runs locust headless twice, `BENCH_USERS` (50) clients
spawned at once for `BENCH_SECONDS` (30) with no think time:

1. `TrivialView`: GET /healthz (the project's liveness view: the whole middleware stack and one `SELECT 1`);
2. `PublicIntake`: each client GETs the form once (CSRF cookie and token), then POSTs reports without photos.

It prints requests/s, median and p95 and the errors of both, the ratio of the intake's requests/s to the
trivial view's, and checks that every accepted POST stored one report. The server is stopped at the end.
The only setting changed from production is STATIC_ROOT (a temporary directory, so the checkout's
`staticfiles/` is not touched): a module `bench_settings` in a temporary directory imports
`config.settings.prod` and overrides it.
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
COUNT = os.environ.get("BENCH_FEEDBACK_N", "1000000")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _reports(env: dict[str, str]) -> int:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return conn.execute("SELECT COUNT(*) FROM feedback_report").fetchone()[0]


def _has_wards(env: dict[str, str]) -> bool:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        return bool(conn.execute("SELECT 1 FROM feedback_area WHERE code = 'sc-s001'").fetchone())


def _locust(user_class: str, host: str, out: Path) -> dict[str, dict[str, float]]:
    """Run one locust class headless; its stats rows by request name."""
    prefix = out / user_class
    cmd = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile_feedback.py"), "--headless",
           "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--host", host, "--csv", str(prefix),
           "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0", user_class]  # fmt: skip
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"locust failed:\n{result.stdout}\n{result.stderr}")
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {"requests": float(row["Request Count"]), "failures": float(row["Failure Count"]),
                                 "rps": float(row["Requests/s"]), "median": float(row["50%"]),
                                 "p95": float(row["95%"]), "p99": float(row["99%"])}  # fmt: skip
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists() and failures.read_text().count("\n") > 1:
        print(failures.read_text()[:2000], flush=True)
    return rows


def _line(label: str, row: dict[str, float]) -> None:
    print(f"{label:<40} {row['rps']:8.1f} req/s   median {row['median']:6.0f} ms   p95 {row['p95']:6.0f} ms   "
          f"p99 {row['p99']:6.0f} ms   {int(row['requests']):,} requests, {int(row['failures'])} errors", flush=True)  # fmt: skip


def main() -> None:
    database = os.environ.get("BENCH_DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        raise SystemExit("feedback_load measures the production set-up: set BENCH_DATABASE_URL=postgres://…")
    tmp = Path(tempfile.mkdtemp(prefix="lamtheo-bench-load-"))
    (tmp / "bench_settings.py").write_text(
        "from config.settings.prod import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(tmp / 'static')!r}  # the only change: the checkout's staticfiles/ stays as it is\n"
    )
    env = {
        **os.environ, "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]), "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.base", "LAMTHEO_VAR_DIR": str(tmp / "var"),
        "DJANGO_SECRET_KEY": "bench-" + os.urandom(24).hex(), "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LAMTHEO_REPORT_RATE": os.environ.get("LAMTHEO_REPORT_RATE", "1000000/s"),
        # Production shares its cache (rate-limit counters) in Redis (docs/architecture.md, scale-out).
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }  # fmt: skip
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, gunicorn {WORKERS} sync workers, "
          f"{USERS} clients, {SECONDS} s per run", flush=True)  # fmt: skip
    _manage(env, "migrate", "--noinput", "-v0")
    if not _has_wards(env):
        print(f"generating the city tree and {int(COUNT):,} reports…", flush=True)
        print(
            _manage(env, "generate_scale", "--people", "0", "--feedback", COUNT).strip().splitlines()[-1],
            flush=True,
        )
    env["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    _manage(env, "collectstatic", "--noinput", "-v0")
    before = _reports(env)
    print(f"data: {before:,} reports in the database", flush=True)
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--env", "DJANGO_SETTINGS_MODULE=bench_settings", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                request = urllib.request.Request(f"{host}/healthz", headers={"X-Forwarded-Proto": "https"})
                if urllib.request.urlopen(request, timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer /healthz")
        trivial = _locust("TrivialView", host, tmp)
        intake = _locust("PublicIntake", host, tmp)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output, _err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _err = server.communicate()
        if output.strip():
            print(output.strip()[-3000:], flush=True)
    after = _reports(env)
    health, post = trivial["GET /healthz"], intake["POST /reports/new/"]
    _line("trivial view (GET /healthz)", health)
    _line("public intake (POST /reports/new/)", post)
    form = intake.get("GET /reports/new/ (form, once per user)")
    if form:
        _line("  the form, once per client (GET)", form)
    stored = after - before
    accepted = int(post["requests"] - post["failures"])
    print(f"reports stored during the run: {stored:,} (accepted POSTs: {accepted:,})", flush=True)
    ratio = post["rps"] / health["rps"] if health["rps"] else 0.0
    print(f"intake / trivial view: {ratio:.2f} of the requests/s (target ≥ 0.50); intake p95 {post['p95']:.0f} ms "
          f"(target < 100 ms); errors {int(post['failures'] + health['failures'])} (target 0)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
