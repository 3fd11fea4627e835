"""The embedded default (SQLite) behind several gunicorn workers: members voting and
commenting at once, and editors saving one draft at once, over HTTP. No request fails
and every accepted write is stored exactly once."""

import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.load import form_post, session, token

ROOT = Path(__file__).resolve().parents[1]
VOTERS = 6
EDITOR_FIELDS = ["c-marketing_notes", "c-communication_plan", "c-keywords"]
ROUNDS = 3


def prepare() -> dict:
    """Runs inside the server's database: committee members and an open round, a
    team and a draft in the drafting state; their sessions."""
    from metadata_templates.models import SubmittedDraft
    from teams.models import Membership, Role
    from tests.factories import (
        ProposalFactory,
        UserFactory,
        campus,
        committee_member,
        complete_draft,
        confirmed_team,
    )

    reviewed = ProposalFactory(state="committee_review")
    draft = SubmittedDraft.objects.create(
        proposal=reviewed, number=1, revision=complete_draft(reviewed)
    )
    round_ = reviewed.rounds.create(draft=draft)
    voters = [committee_member(username=f"voter{n}") for n in range(VOTERS)]
    drafting = ProposalFactory(state="drafting")
    team = confirmed_team(drafting)
    complete_draft(drafting)
    editors = [drafting.proposer, team.memberships.exclude(role=Role.LEAD)[0].user]
    extra = UserFactory(username="editor3")
    Membership.objects.create(
        team=team, user=extra, role=Role.FACULTY, campus=campus("UMF")
    )
    editors.append(extra)
    return {
        "round": round_.pk,
        "drafting": drafting.pk,
        "voters": [session(v) for v in voters],
        "editors": [session(e) for e in editors],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One signed-in member talking HTTP to the server, as a browser would."""

    def __init__(self, port: int, session: str):
        self.port, self.cookies = port, {"sessionid": session}

    def request(self, method: str, path: str, data=None) -> tuple[int, str]:
        import http.client
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie}
        body = None
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(data, doseq=True)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, text


def _vote_and_comment(browser: Browser, round_id: int, n: int, results: list) -> None:
    page = f"/committee/rounds/{round_id}/"
    _status, text = browser.request("GET", page)
    csrf = token(text)
    for r in range(ROUNDS):
        choice = ["approve", "reject", "abstain"][(n + r) % 3]
        data = {"csrfmiddlewaretoken": csrf, "choice": choice, "comment": ""}
        status, _ = browser.request("POST", page + "vote/", data)
        results.append(("vote", n, choice, status))
        body = f"voter{n} comment {r}"
        data = {"csrfmiddlewaretoken": csrf, "body": body}
        status, _ = browser.request("POST", page + "comment/", data)
        results.append(("comment", n, body, status))


def _save(browser: Browser, proposal_id: int, field: str, results: list) -> None:
    path = f"/proposals/{proposal_id}/template/"
    for r in range(ROUNDS):
        _status, text = browser.request("GET", path)
        data = form_post(text, "template-form")
        data[field] = [f"{field} edit {r}"]
        data["csrfmiddlewaretoken"] = [token(text)]
        status, _ = browser.request("POST", path, data)
        results.append(("save", field, r, status))


def test_parallel_writers_on_sqlite_behind_gunicorn(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "ERROR",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=1
    )
    script = (
        "import json, django; django.setup(); "
        "from tests.test_sqlite_writers import prepare; print(json.dumps(prepare()))"
    )
    plan = json.loads(
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "3"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "error"],
        cwd=ROOT,
        env=env,
    )
    results: list = []
    try:
        for _ in range(150):
            try:
                Browser(port, "").request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        threads = [
            threading.Thread(
                target=_vote_and_comment,
                args=(Browser(port, s), plan["round"], n, results),
            )
            for n, s in enumerate(plan["voters"])
        ] + [
            threading.Thread(
                target=_save, args=(Browser(port, s), plan["drafting"], f, results)
            )
            for s, f in zip(plan["editors"], EDITOR_FIELDS, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait()

    assert sorted({r[-1] for r in results}) == [302], results
    stored = sqlite3.connect(database)
    votes = [r for r in results if r[0] == "vote"]
    assert stored.execute(
        "SELECT COUNT(*) FROM approvals_votechange WHERE round_id = ?", [plan["round"]]
    ).fetchone() == (len(votes),)
    last_votes = {n: choice for _kind, n, choice, _status in votes}
    assert (
        dict(
            stored.execute(
                "SELECT CAST(SUBSTR(u.username, 6) AS INTEGER), v.choice "
                "FROM approvals_vote v JOIN auth_user u ON u.id = v.voter_id "
                "WHERE v.round_id = ?",
                [plan["round"]],
            ).fetchall()
        )
        == last_votes
    )
    bodies = sorted(r[2] for r in results if r[0] == "comment")
    assert (
        sorted(
            b
            for (b,) in stored.execute(
                "SELECT body FROM approvals_roundcomment WHERE round_id = ?",
                [plan["round"]],
            )
        )
        == bodies
    )
    numbers, content = zip(
        *stored.execute(
            "SELECT number, content FROM metadata_templates_revision "
            "WHERE proposal_id = ? ORDER BY number",
            [plan["drafting"]],
        ),
        strict=True,
    )
    saves = [r for r in results if r[0] == "save"]
    assert list(numbers) == list(range(1, len(saves) + 2))
    newest = json.loads(content[-1])["credential"]
    for field in EDITOR_FIELDS:
        assert newest[field.removeprefix("c-")] == f"{field} edit {ROUNDS - 1}"
