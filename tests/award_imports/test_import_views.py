"""Awards from a CSV file through the real pages: upload and check, confirm, the queue
and a real worker, the result; who may do each; what each state allows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from award_imports import services
from award_imports.csvfile import Row
from award_imports.models import AwardImport, AwardImportRow, Status
from awards.models import Award, Source
from awards.services import issue
from proposals.models import Proposal, State
from tests.factories import published_credential, staff_user
from tests.matrix import LOGIN, cases, check

PERSONAS = ["anonymous", "outsider", "proposer", "staff", "member", "chair", "admin"]
GOOD = (
    "name,email,evidence link,date\n"
    "Ada Lovelace,ada@example.edu,https://example.edu/ada,2026-09-30\n"
    "Grace Hopper,grace@example.edu,,\n"
)


def _staff_only(ok: int, others: int) -> dict:
    expected = dict.fromkeys(PERSONAS, others)
    expected.update(staff=ok, admin=ok, anonymous=LOGIN)
    return expected


MATRIX = [
    ("list", "get", lambda w: reverse("award_imports:list"), _staff_only(200, 403)),
    ("new", "get", lambda w: reverse("award_imports:new"), _staff_only(200, 403)),
    ("check", "post", lambda w: reverse("award_imports:new"), _staff_only(200, 403)),
    (
        "detail",
        "get",
        lambda w: reverse("award_imports:detail", args=[w["import"].pk]),
        _staff_only(200, 404),
    ),
    (
        "progress",
        "get",
        lambda w: reverse("award_imports:progress", args=[w["import"].pk]),
        _staff_only(200, 404),
    ),
    (
        "confirm",
        "post",
        lambda w: reverse("award_imports:confirm", args=[w["import"].pk]),
        _staff_only(302, 404),
    ),
    (
        "resume",
        "post",
        lambda w: reverse("award_imports:resume", args=[w["import"].pk]),
        _staff_only(302, 404),
    ),
    (
        "discard",
        "post",
        lambda w: reverse("award_imports:discard", args=[w["import"].pk]),
        _staff_only(302, 404),
    ),
    (
        "confirm by GET",
        "get",
        lambda w: reverse("award_imports:confirm", args=[w["import"].pk]),
        dict.fromkeys(PERSONAS, 405),
    ),
    (
        "unknown import",
        "get",
        lambda w: reverse("award_imports:detail", args=[10**9]),
        _staff_only(404, 404),
    ),
]


@pytest.fixture
def badge(db):
    return published_credential().catalog_badges.order_by("position").first()


def _preview(badge, count: int = 2) -> AwardImport:
    rows = [Row(n + 2, f"Learner {n}", f"learner{n}@example.edu") for n in range(count)]
    return services.create(badge, by=staff_user(), file_name="cohort.csv", rows=rows)


@pytest.fixture
def world(badge):
    return {"import": _preview(badge)}


@pytest.mark.parametrize(
    ("name", "method", "url", "persona", "expected"), cases(MATRIX, PERSONAS)
)
def test_award_import_permission_matrix(
    client, personas, world, name, method, url, persona, expected
):
    user = None if persona == "anonymous" else personas[persona]
    check(client, user, method, url(world), expected)


def _upload(client, badge, text: str, name: str = "cohort.csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(
        reverse("award_imports:new"), {"badge": badge.pk, "file": upload}
    )


def test_a_file_with_bad_rows_saves_nothing_and_names_each_problem(
    client, staff, badge
):
    client.force_login(staff)
    response = _upload(client, badge, GOOD + "Ada again,ADA@example.edu,,13/01/2026\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file has 2 problems (below); nothing was saved." in page
    assert "Row 4, email: ADA@example.edu is also on row 2" in page
    assert "Row 4, date: “13/01/2026” is not a date" in page
    assert not AwardImport.objects.exists()
    # What was chosen stays chosen.
    assert response.context["form"]["badge"].value() == str(badge.pk)


def test_upload_confirm_and_a_real_worker_issue_every_row_once(
    run_worker, client, mailoutbox, badge
):
    staff = staff_user()
    client.force_login(staff)
    response = _upload(client, badge, GOOD)
    award_import = AwardImport.objects.get()
    assert response.url == award_import.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Every row passed the checks" in page
    assert "grace@example.edu" in page and "Issue 2 awards" in page

    confirm = reverse("award_imports:confirm", args=[award_import.pk])
    client.post(confirm)
    assert "confirmed already" in client.post(confirm, follow=True).content.decode()
    progress = client.get(reverse("award_imports:progress", args=[award_import.pk]))
    assert progress.json() == {
        "status": "queued",
        "label": "waiting for the worker",
        "issued": 0,
        "total": 2,
        "percent": 0,
        "finished": False,
    }
    [queued] = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert queued.task_path == "award_imports.services.issue_rows"

    run_worker()

    award_import.refresh_from_db()
    assert award_import.status == Status.DONE
    awards = Award.objects.order_by("recipient_email")
    assert [(a.recipient_email, a.source, a.idempotency_key) for a in awards] == [
        ("ada@example.edu", Source.CSV, f"csv:{award_import.pk}:2"),
        ("grace@example.edu", Source.CSV, f"csv:{award_import.pk}:3"),
    ]
    assert awards[0].evidence_url == "https://example.edu/ada"
    assert str(awards[0].issued_on) == "2026-09-30"
    assert awards[0].awarded_by == staff
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ada@example.edu",
        "grace@example.edu",
    ]
    page = client.get(award_import.get_absolute_url()).content.decode()
    assert "Done on" in page and "2 awards issued" in page


# What confirm and resume do in each state: the new status, or None for "refused,
# nothing changed".
STATES = [
    (Status.PREVIEW, False, Status.QUEUED, None),
    (Status.QUEUED, False, None, None),
    (Status.ISSUING, False, None, None),
    (Status.ISSUING, True, None, Status.QUEUED),
    (Status.STOPPED, False, None, Status.QUEUED),
    (Status.DONE, False, None, None),
    (Status.FAILED, False, None, None),
]


@pytest.mark.parametrize(("state", "stale", "after_confirm", "after_resume"), STATES)
def test_confirm_and_resume_in_each_state(
    badge, staff, state, stale, after_confirm, after_resume
):
    award_import = _preview(badge)
    progressed = "2000-01-01T00:00Z" if stale else "2999-01-01T00:00Z"
    AwardImport.objects.filter(pk=award_import.pk).update(
        status=state, confirmed_at=progressed, progressed_at=progressed
    )
    for action, expected in (
        (services.confirm, after_confirm),
        (services.resume, after_resume),
    ):
        award_import.refresh_from_db()
        assert action(award_import, by=staff) is (expected is not None)
        award_import.refresh_from_db()
        assert award_import.status == (expected or state)
        AwardImport.objects.filter(pk=award_import.pk).update(status=state)


def test_the_worker_issues_nothing_when_someone_got_the_badge_meanwhile(
    badge, staff, django_capture_on_commit_callbacks
):
    award_import = _preview(badge)
    issue(badge, name="L", email="LEARNER1@example.edu", awarded_by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(award_import, by=staff)
    award_import.refresh_from_db()
    assert award_import.status == Status.FAILED
    assert "Row 3, email: learner1@example.edu already holds this badge" in (
        award_import.problem
    )
    assert Award.objects.count() == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_take_as_many_queries_for_many_imports_and_rows(client, staff, badge):
    client.force_login(staff)
    small = _preview(badge, count=1)
    before = (
        _queries(client, reverse("award_imports:list")),
        _queries(client, small.get_absolute_url()),
    )
    large = _preview(badge, count=30)
    _preview(badge, count=3)
    assert (
        _queries(client, reverse("award_imports:list")),
        _queries(client, large.get_absolute_url()),
    ) == before


def test_an_unconfirmed_file_can_be_discarded_a_confirmed_one_cannot(client, badge):
    staff = staff_user()
    client.force_login(staff)
    wrong, right = _preview(badge), _preview(badge)
    response = client.post(
        reverse("award_imports:discard", args=[wrong.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("award_imports:list")
    assert "nobody was awarded anything" in response.text
    assert not AwardImport.objects.filter(pk=wrong.pk).exists()
    assert not AwardImportRow.objects.filter(award_import_id=wrong.pk).exists()
    services.confirm(right, by=staff)
    response = client.post(
        reverse("award_imports:discard", args=[right.pk]), follow=True
    )
    assert "confirmed already, so it stays" in response.text
    assert AwardImport.objects.get(pk=right.pk).rows.count() == 2
    # Discarded in one tab, then confirmed or discarded in another: the list says so.
    for action in ("discard", "confirm", "resume"):
        response = client.post(
            reverse(f"award_imports:{action}", args=[wrong.pk]), follow=True
        )
        assert response.redirect_chain[-1][0] == reverse("award_imports:list")
        assert "it was discarded, so nothing was issued" in response.text


def _retire(badge) -> None:
    Proposal.objects.filter(pk=badge.proposal_id).update(state=State.RETIRED)


def test_a_file_whose_credential_was_retired_can_only_be_discarded(client, badge):
    client.force_login(staff_user())
    award_import = _preview(badge)
    _retire(badge)
    page = client.get(award_import.get_absolute_url())
    assert "is no longer published (it is retired)" in page.text
    assert "can only be discarded" in page.text
    assert "Issue 2 awards" not in page.text
    listed = client.get(reverse("award_imports:list")).text
    assert "Can only be discarded" in listed
    assert "waiting for confirmation" not in listed
    confirm = reverse("award_imports:confirm", args=[award_import.pk])
    response = client.post(confirm, follow=True)
    assert "is no longer published" in response.text
    assert AwardImport.objects.get(pk=award_import.pk).status == Status.PREVIEW
    client.post(reverse("award_imports:discard", args=[award_import.pk]))
    assert not AwardImport.objects.filter(pk=award_import.pk).exists()


@pytest.mark.parametrize("issued_first", [0, 1])
def test_a_credential_retired_while_queued_or_issuing_ends_the_import(
    client, badge, issued_first
):
    staff = staff_user()
    award_import = _preview(badge, count=3)
    services.confirm(award_import, by=staff)
    if issued_first:
        started = services._start(award_import.pk)
        services._issue(started, started.rows.order_by("number").first())
    _retire(badge)
    assert services.run(award_import.pk) == Status.FAILED
    ended = AwardImport.objects.get(pk=award_import.pk)
    assert "is no longer published (it is retired)" in ended.problem
    assert ("The 1 award issued before stays valid." in ended.problem) == bool(
        issued_first
    )
    assert not ended.stalled()
    assert Award.objects.count() == issued_first
    client.force_login(staff)
    page = client.get(ended.get_absolute_url())
    assert "Issuing ended:" in page.text and "Resume" not in page.text


def test_a_credential_retired_part_way_stops_the_worker_at_the_next_row(
    monkeypatch, badge
):
    issue_row = services._issue

    def issue_then_retire(award_import, row):
        issue_row(award_import, row)
        _retire(badge)

    monkeypatch.setattr(services, "_issue", issue_then_retire)
    award_import = _preview(badge, count=3)
    services.confirm(award_import, by=staff_user())
    assert services.run(award_import.pk) == Status.FAILED
    ended = AwardImport.objects.get(pk=award_import.pk)
    assert "The 1 award issued before stays valid." in ended.problem
    assert Award.objects.count() == 1
