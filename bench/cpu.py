"""CPU time per request, in-process, on the load test's two PostgreSQL databases (a
large system and the same at 1/100): the main pages' CPU milliseconds (the lower
quartile of the requests), each also as a ratio to /healthz, and the size of their
HTML. Unlike `make bench`'s
wall-clock latencies, these figures hold on a machine other jobs keep busy.

    .venv/bin/python bench/cpu.py [--requests 40] [--reuse]

The databases (mc_cpu_full and mc_cpu_small on BENCH_POSTGRES) are dropped,
recreated and filled as bench/load.py does; --reuse measures the ones a previous
run left (their addresses are kept beside them in the temporary directory).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
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

DATABASES = {"full": "mc_cpu_full", "1/100": "mc_cpu_small"}


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
    from django.test import Client

    sessions = {
        "staff": plan["sessions"]["staff"],
        "lead": plan["sessions"]["lead"],
        "voter": plan["sessions"]["voters"][0],
    }
    results = {}
    for name, persona, path in plan["pages"]:
        client = Client(HTTP_HOST="127.0.0.1")
        if persona:
            client.cookies["sessionid"] = sessions[persona]
        for _ in range(3):
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        spent = []
        for _ in range(requests):
            started = time.process_time()
            response = client.get(path)
            spent.append((time.process_time() - started) * 1000)
        results[name] = {
            # The lower quartile: other jobs on a shared machine only add to it.
            "cpu_ms": statistics.quantiles(spent, n=4)[0],
            "kb": len(response.content) / 1024,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
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
