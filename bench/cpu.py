"""CPU time per request on the load test's two PostgreSQL databases (a large system
and the same at 1/100): one gunicorn worker serves the main pages one request at a
time, and its own CPU clock (Linux /proc) divided by the requests gives each page's
CPU milliseconds, also as a ratio to /healthz, with the size of its HTML. Unlike `make
bench`'s wall-clock latencies, these figures hold on a machine other jobs keep busy.

    .venv/bin/python bench/cpu.py [--requests 100] [--reuse]

The databases (mc_cpu_full and mc_cpu_small on BENCH_POSTGRES) are dropped,
recreated and filled as bench/load.py does; --reuse measures the ones a previous
run left (their addresses are kept beside them in the temporary directory).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    SERVER,
    SERVER_ENV,
    SIZES,
    in_own_process,
    recreate,
)
from credentials.proofs.keys import new_secret_key  # noqa: E402

DATABASES = {"full": "mc_cpu_full", "1/100": "mc_cpu_small"}
PORT = 8096


def _cpu_seconds(pid: str) -> float:
    """User and system CPU time the process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _get(path: str, cookie: str | None) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    try:
        connection.request(
            "GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {}
        )
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def _plan_file(label: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{DATABASES[label]}.json"


def _sessions_again(plan: dict) -> dict:
    from django.contrib.auth import get_user_model

    from bench.load import session
    from proposals.models import Proposal

    users = get_user_model().objects
    return {
        "staff": session(users.get(username="bench-staff")),
        "lead": session(Proposal.objects.get(pk=plan["drafting"]).proposer),
        "voters": [session(users.get(username=plan["voter_names"][0]))],
    }


def measure(label: str, requests: int, reuse: bool) -> dict:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASES[label]}"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Production settings sign awards, so they need a signing key (any will do here).
    os.environ.setdefault("CREDENTIAL_SIGNING_KEY", new_secret_key())
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.update(SERVER_ENV)
    if reuse:
        import django

        django.setup()
        plan = json.loads(_plan_file(label).read_text())
        # Sessions signed with the key of the run that made them need new ones.
        plan["sessions"] = _sessions_again(plan)
    else:
        from bench.load import prepare

        plan = prepare(SIZES[label])
        _plan_file(label).write_text(json.dumps(plan))
    sessions = {
        "staff": plan["sessions"]["staff"],
        "lead": plan["sessions"]["lead"],
        "voter": plan["sessions"]["voters"][0],
    }
    # One worker: every request it serves is on its CPU clock, and only those.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{PORT}", "--log-level", "error"],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                _get("/healthz", None)
                break
            except OSError:
                time.sleep(0.2)
        worker = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()[0]
        results = {}
        for name, persona, path in plan["pages"]:
            cookie = sessions[persona] if persona else None
            for _ in range(3):
                status, size = _get(path, cookie)
            assert status == 200, (path, status)
            started = _cpu_seconds(worker)
            for _ in range(requests):
                _get(path, cookie)
            spent = _cpu_seconds(worker) - started
            results[name] = {"cpu_ms": spent / requests * 1000, "kb": size / 1024}
    finally:
        server.terminate()
        server.wait()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--size", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        print(json.dumps(measure(args.size, args.requests, args.reuse)))
        return
    results = {}
    for label in ("1/100", "full"):
        if not args.reuse:
            recreate(DATABASES[label])
        options = ["--requests", str(args.requests)]
        results[label] = in_own_process(
            __file__, label, options + (["--reuse"] if args.reuse else [])
        )
    small, full = results["1/100"], results["full"]
    print(
        f"{'page':<20} {'CPU ms 1/100':>12} {'CPU ms full':>12} {'×healthz':>14} "
        f"{'full÷1/100':>10} {'KB':>12}"
    )
    for name in small:
        ratios = [r[name]["cpu_ms"] / r["healthz"]["cpu_ms"] for r in (small, full)]
        print(
            f"{name:<20} {small[name]['cpu_ms']:12.1f} {full[name]['cpu_ms']:12.1f} "
            f"{ratios[0]:6.1f} / {ratios[1]:<5.1f} "
            f"{full[name]['cpu_ms'] / small[name]['cpu_ms']:10.2f} "
            f"{small[name]['kb']:5.0f} / {full[name]['kb']:<5.0f}"
        )


if __name__ == "__main__":
    main()
