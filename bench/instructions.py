"""CPU instructions per request of one page, counted by callgrind: unlike timings, the
count stays the same however busy the machine is, so a change of a few per cent shows.
The page is requested in-process (Django's test client, production settings) against
a database `make bench` or bench/cpu.py filled, `--requests` times under valgrind and
once more with none; the difference divided by the requests is the page's cost.

    .venv/bin/python bench/instructions.py mc_bench_full editor [--requests 10]

PAGE is editor (the bench's drafting proposal, as its lead), dashboard (as staff),
catalog, healthz, or a path. Needs Debian's valgrind (`make bench` installs it);
takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import SERVER, SERVER_ENV  # noqa: E402
from credentials.proofs.keys import new_secret_key  # noqa: E402


def requests(database: str, page: str, count: int) -> None:
    """The measured body: warm up, then `count` requests of the page."""
    os.environ.update(
        SERVER_ENV,
        DATABASE_URL=f"{SERVER}/{database}",
        SECRET_KEY="instructions-" * 4,
        CREDENTIAL_SIGNING_KEY=os.environ["CREDENTIAL_SIGNING_KEY"],
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from proposals.models import Proposal, State

    client = Client()
    url = {"catalog": "/catalog/", "healthz": "/healthz"}.get(page, page)
    if page == "editor":
        drafting = Proposal.objects.filter(
            state=State.DRAFTING, title__startswith="Load "
        ).first()
        client.force_login(drafting.proposer)
        url = f"/proposals/{drafting.pk}/template/"
    elif page == "dashboard":
        client.force_login(get_user_model().objects.get(username="bench-staff"))
        url = "/dashboard/"
    for _ in range(3):
        status = client.get(url).status_code
        if status != 200:
            sys.exit(f"{url} answered {status}")
    for _ in range(count):
        client.get(url)


def counted(database: str, page: str, count: int, env: dict) -> int:
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            database,
            page,
            "--inner",
            str(count),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return int(re.search(r"Collected : (\d+)", out.stderr).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    parser.add_argument("page")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner is not None:
        requests(args.database, args.page, args.inner)
        return
    # The same hash seed and key in both runs, so that only the requests differ.
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",
        "CREDENTIAL_SIGNING_KEY": new_secret_key(),
    }
    with_requests = counted(args.database, args.page, args.requests, env)
    without = counted(args.database, args.page, 0, env)
    per_request = (with_requests - without) / args.requests
    print(f"{args.page} on {args.database}: {per_request / 1e6:.1f} M instructions")


if __name__ == "__main__":
    main()
