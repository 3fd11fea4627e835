"""Load test on PostgreSQL with gunicorn: a large system (10,000 proposals, 100,000
revisions, 50,000 votes, 1,000 published credentials) and the same at 1/100 of the
size, each in a fresh database. `hey` drives concurrent users against the main pages;
meanwhile committee members vote and team members save drafts over HTTP, and the
rows are checked afterwards (no lost or doubled writes).

    make bench        # installs hey, then runs this
    .venv/bin/python bench/load.py [--seconds 8] [--concurrency 8]

BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432) is the server; the script
drops and recreates the databases mc_bench_full and mc_bench_small on it. It prints,
per page, throughput and p50/p95 latency, each also as a ratio to /healthz measured
in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from credentials.proofs.keys import new_secret_key  # noqa: E402

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PORT = 8095
SIZES = {
    "full": {
        "proposals": 10_000,
        "revisions": 100_000,
        "votes": 50_000,
        "published": 1_000,
    },
    "1/100": {"proposals": 100, "revisions": 1_000, "votes": 500, "published": 10},
}
DATABASES = {"full": "mc_bench_full", "1/100": "mc_bench_small"}
VOTERS = 17
SERVER_ENV = {
    "DEBUG": "false",
    "SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": f"http://127.0.0.1:{PORT}",
    "LOG_LEVEL": "ERROR",
}


def recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def session(user) -> str:
    """A signed-in session for `user`, stored in the server's database, so requests
    can carry its cookie without going through the sign-in page (and its throttle)."""
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "accounts.backends.RoleBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def prepare(size: dict) -> dict:
    """Fill the database this process is set up for; sessions and addresses to visit."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from accounts.permissions import STAFF_GROUP
    from approvals.models import CommitteeTerm
    from bench.data import fill_published, fill_system
    from credentials.models import CatalogBadge

    call_command("migrate", verbosity=0)
    User = get_user_model()
    staff = User.objects.create_user("bench-staff", password=secrets.token_hex(8))
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    voters = []
    for n in range(VOTERS):
        voter = User.objects.create_user(f"bench-member{n}", password="x")
        CommitteeTerm.objects.create(user=voter)
        voters.append(voter)
    leads = [
        User.objects.create_user(f"bench-lead{n}", password="x") for n in range(50)
    ]
    started = time.perf_counter()
    workflow = size["proposals"] - size["published"]
    ids = fill_system(
        workflow, size["revisions"] - size["published"], size["votes"], voters, leads
    )
    fill_published(size["published"])
    # A production database has planner statistics (autovacuum gathers them); without
    # them PostgreSQL plans the freshly filled tables as if they were nearly empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    filled = time.perf_counter() - started

    badge = CatalogBadge.objects.listed().order_by("pk").first()
    export = f"/catalog/{badge.proposal_id}/badges/{badge.key}/"
    return {
        "fill_seconds": round(filled, 1),
        "sessions": {
            "staff": session(staff),
            "lead": session(User.objects.get(pk=ids["lead"])),
            "voters": [session(v) for v in voters[:10]],
        },
        "voter_names": [v.username for v in voters[:10]],
        "pages": [
            ("healthz", None, "/healthz"),
            ("dashboard (staff)", "staff", "/dashboard/"),
            ("proposal page", "staff", f"/proposals/{ids['proposal']}/"),
            ("editor", "lead", f"/proposals/{ids['drafting']}/template/"),
            ("round page", "voter", f"/committee/rounds/{ids['round']}/"),
            ("catalog", None, "/catalog/"),
            ("achievement.json", None, export + "achievement.json"),
            ("badge image.png", None, export + "image.png"),
            ("summary PDF", None, f"/catalog/{badge.proposal_id}/summary.pdf"),
        ],
        "round": ids["round"],
        "drafting": ids["drafting"],
    }


def hey(url: str, cookie: str | None, seconds: int, concurrency: int) -> dict:
    command = ["hey", "-z", f"{seconds}s", "-c", str(concurrency)]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True).stdout
    latency = dict(re.findall(r"(\d+)%% in ([\d.]+) secs".replace("%%", "%"), out))
    statuses = {
        int(c): int(n) for c, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", out)
    }
    errors = re.search(r"Error distribution:(.*)", out, re.S)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": float(latency.get("50", "nan")) * 1000,
        "p95": float(latency.get("95", "nan")) * 1000,
        "statuses": statuses,
        "errors": errors.group(1).strip() if errors else "",
    }


class FormFields(HTMLParser):
    """The values a browser would post from the form with the given id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button", "file"):
                # A checkbox without a value posts "on", as browsers send it.
                default = "on" if a.get("type") in ("checkbox", "radio") else ""
                self.fields.append((a["name"], a.get("value", default)))
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline that opens a textarea's content.
            name, value = self.textarea
            self.fields.append((name, value.removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None


def request(method, path, session, body=None, csrf=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {
        "Cookie": f"sessionid={session}" + (f"; csrftoken={csrf}" if csrf else "")
    }
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(body, doseq=True)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode(errors="replace")
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    connection.close()
    return response.status, text, cookie.group(1) if cookie else csrf


def form_post(text: str, form_id: str) -> dict[str, list[str]]:
    """What a browser would post from the form with the given id on the page."""
    parser = FormFields(form_id)
    parser.feed(text)
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def token(text: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)


def vote_repeatedly(session, round_id, results, times=5):
    choices = ["approve", "reject", "return", "abstain", "reject"]
    status, text, csrf = request("GET", f"/committee/rounds/{round_id}/", session)
    for n in range(times):
        data = {"csrfmiddlewaretoken": token(text), "choice": choices[n], "comment": ""}
        status, _, csrf = request(
            "POST", f"/committee/rounds/{round_id}/vote/", session, data, csrf
        )
        results.append((session, choices[n], status))


def save_repeatedly(session, proposal_id, field, results, times=4):
    path = f"/proposals/{proposal_id}/template/"
    for n in range(times):
        status, text, csrf = request("GET", path, session)
        data = form_post(text, "template-form")
        data[field] = [f"{field} edit {n}"]
        data["csrfmiddlewaretoken"] = [token(text)]
        status, _, _ = request("POST", path, session, data, csrf)
        results.append((field, n, status))


def writes_under_load(plan: dict, seconds: int) -> dict:
    """Votes and draft saves while hey loads the round page and the catalog."""
    background = [
        subprocess.Popen(
            ["hey", "-z", f"{seconds}s", "-c", "4", f"http://127.0.0.1:{PORT}{path}"]
            + (
                ["-H", f"Cookie: sessionid={plan['sessions']['voters'][0]}"]
                if n == 0
                else []
            ),
            stdout=subprocess.DEVNULL,
        )
        for n, path in enumerate([f"/committee/rounds/{plan['round']}/", "/catalog/"])
    ]
    votes, saves = [], []
    fields = [
        "c-marketing_notes",
        "c-communication_plan",
        "c-credit_options",
        "c-keywords",
    ]
    threads = [
        threading.Thread(target=vote_repeatedly, args=(s, plan["round"], votes))
        for s in plan["sessions"]["voters"]
    ] + [
        threading.Thread(
            target=save_repeatedly,
            args=(plan["sessions"]["lead"], plan["drafting"], f, saves),
        )
        for f in fields
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in background:
        process.wait()
    return {"votes": votes, "saves": saves, "fields": fields}


def check_writes(plan: dict, writes: dict) -> tuple[list[str], int, int, int]:
    """Every accepted vote and save is in the database exactly once."""
    from django.db import connection

    from approvals.models import Vote, VoteChange
    from metadata_templates.models import Revision

    connection.close()
    problems = []
    accepted = [(s, c) for s, c, status in writes["votes"] if status == 302]
    if len(accepted) != len(writes["votes"]):
        problems.append(f"{len(writes['votes']) - len(accepted)} vote posts refused")
    changes = VoteChange.objects.filter(round_id=plan["round"]).count()
    if changes != len(accepted):
        problems.append(f"{changes} vote changes logged for {len(accepted)} votes")
    stored = dict(
        Vote.objects.filter(round_id=plan["round"]).values_list(
            "voter__username", "choice"
        )
    )
    names = dict(zip(plan["sessions"]["voters"], plan["voter_names"], strict=True))
    for session, choice in dict(accepted).items():
        if stored.get(names[session]) != choice:
            problems.append(f"{names[session]}'s last vote is not the one stored")
    saved = [w for w in writes["saves"] if w[2] == 302]
    revisions = Revision.objects.filter(proposal_id=plan["drafting"]).order_by("number")
    numbers = list(revisions.values_list("number", flat=True))
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append("revision numbers are not contiguous")
    content = revisions.last().content["credential"]
    for field in writes["fields"]:
        mine = [n for f, n, status in saved if f == field]
        if (
            mine
            and content.get(field.removeprefix("c-")) != f"{field} edit {max(mine)}"
        ):
            problems.append(f"the last save of {field} is lost")
    return problems, len(accepted), len(saved), len(writes["saves"])


def run_size(label: str, seconds: int, concurrency: int) -> dict:
    os.environ["DATABASE_URL"] = f"{SERVER}/{DATABASES[label]}"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    # Production settings sign awards, so they need a signing key (any will do here).
    os.environ.setdefault("CREDENTIAL_SIGNING_KEY", new_secret_key())
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.update(SERVER_ENV)
    sys.path.insert(0, str(ROOT))
    plan = prepare(SIZES[label])
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "4",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        for _ in range(100):
            try:
                if request("GET", "/healthz", "")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        results = {}
        for name, persona, path in plan["pages"]:
            cookie = {
                "staff": plan["sessions"]["staff"],
                "lead": plan["sessions"]["lead"],
                "voter": plan["sessions"]["voters"][0],
            }.get(persona)
            results[name] = hey(
                f"http://127.0.0.1:{PORT}{path}", cookie, seconds, concurrency
            )
        writes = writes_under_load(plan, seconds)
    finally:
        server.terminate()
        server.wait()
    problems, votes, saves, tried = check_writes(plan, writes)
    return {
        "fill_seconds": plan["fill_seconds"],
        "pages": results,
        "writes": {"votes": votes, "saves": saves, "save_attempts": tried},
        "problems": problems,
    }


def report(all_results: dict) -> None:
    for label, result in all_results.items():
        base, size = result["pages"]["healthz"], SIZES[label]
        print(
            f"\n{label} ({size['proposals']:,} proposals, "
            f"{size['revisions']:,} revisions, {size['votes']:,} votes, "
            f"{size['published']:,} published; filled in {result['fill_seconds']} s)"
        )
        print(
            f"  {'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'÷healthz req/s':>15} {'×healthz p50':>13} {'×healthz p95':>13}  status"
        )
        for name, r in result["pages"].items():
            print(
                f"  {name:<20} {r['rps']:8.1f} {r['p50']:8.1f} {r['p95']:8.1f} "
                f"{r['rps'] / base['rps']:15.3f} {r['p50'] / base['p50']:13.1f} "
                f"{r['p95'] / base['p95']:13.1f}  {r['statuses']}"
                + (f" errors: {r['errors']}" if r["errors"] else "")
            )
        w = result["writes"]
        print(
            f"  under load: {w['votes']} votes and {w['saves']} of "
            f"{w['save_attempts']} draft saves accepted; "
            + (
                "all found exactly once"
                if not result["problems"]
                else "; ".join(result["problems"])
            )
        )


def in_own_process(script: str, label: str, options: list[str]) -> dict:
    """Run `script --size label options` in a process of its own (one process per
    database: settings are read once per process); the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, script, "--size", label, *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--size", choices=list(SIZES), help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", nargs="+", choices=list(SIZES), default=["1/100", "full"]
    )
    args = parser.parse_args()
    if args.size:
        print(json.dumps(run_size(args.size, args.seconds, args.concurrency)))
        return
    # The server runs with production settings: hashed static file names.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={
            **os.environ,
            **SERVER_ENV,
            "SECRET_KEY": "collectstatic",
            "CREDENTIAL_SIGNING_KEY": new_secret_key(),
        },
        check=True,
    )
    results = {}
    for label in args.sizes:
        recreate(DATABASES[label])
        results[label] = in_own_process(
            __file__,
            label,
            ["--seconds", str(args.seconds), "--concurrency", str(args.concurrency)],
        )
    report(results)


if __name__ == "__main__":
    main()
