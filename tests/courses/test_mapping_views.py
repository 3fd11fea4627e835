"""The mapping pages: starting a mapping, the criteria table and its coverage check,
a failed save that keeps what was typed, comments anchored to a criterion, the
training list, and query counts that do not grow with the data."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import CourseMapping, Training
from tests.factories import UserFactory, campus, course_mapping


def _course(badge, **extra):
    return {
        "kind": "course",
        "course_code": "ENG 101",
        "course_title": "College Composition",
        "campus": campus("UMA").pk,
        "starts": "Fall 2027",
        "delivery": "in_person",
        "learners_per_year": "120",
        "badges": [badge.pk],
        **extra,
    }


def test_a_new_mapping_is_a_draft_and_lists_each_criterion(client, instructor, badge):
    client.force_login(instructor)
    response = client.post(
        reverse("courses:new"), _course(badge, ask_training="on"), follow=True
    )
    mapping = CourseMapping.objects.get()
    assert (mapping.state, mapping.instructor) == ("draft", instructor)
    assert mapping.training == Training.REQUESTED
    assert mapping.training_requested_at is not None
    assert mapping.steps.get().target == "draft"
    page = response.content.decode()
    assert "Assignments by criterion" in page
    # Every criterion is a gap, named and linked.
    assert f'href="#crit-{badge.pk}-c1"' in page
    assert "no assignment assesses" in page


def test_saving_the_criteria_table_closes_the_gaps(client, instructor, badge):
    mapping = course_mapping(instructor, badge=badge, complete=False)
    client.force_login(instructor)
    data = _course(badge)
    for row in mapping.assessments.all():
        data[f"a-{badge.pk}-{row.criterion}-assignment"] = row.assignment
        data[f"a-{badge.pk}-{row.criterion}-method"] = "rubric"
        data[f"a-{badge.pk}-{row.criterion}-threshold"] = "3 of 4"
    data |= {
        f"a-{badge.pk}-c1-assignment": "Argument essay",
        f"a-{badge.pk}-c1-method": "rubric",
        f"a-{badge.pk}-c1-how": "Rubric row 2",
        f"a-{badge.pk}-c1-threshold": "80 %",
    }
    response = client.post(reverse("courses:edit", args=[mapping.pk]), data)
    assert response.status_code == 302
    assert mapping.coverage_problems() == []
    assert mapping.assessments.get(criterion="c1").how == "Rubric row 2"


def test_a_refused_save_keeps_what_was_typed(client, instructor, badge):
    mapping = course_mapping(instructor, badge=badge)
    client.force_login(instructor)
    data = _course(badge, learners_per_year="lots", course_title="Kept title")
    data[f"a-{badge.pk}-c1-assignment"] = "Typed assignment"
    response = client.post(reverse("courses:edit", args=[mapping.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kept title" in page and "Typed assignment" in page
    assert CourseMapping.objects.get(pk=mapping.pk).course_title != "Kept title"


def test_only_published_badges_may_be_mapped(client, instructor):
    from tests.factories import published_credential

    draft_badge = published_credential(state="approved").catalog_badges.first()
    client.force_login(instructor)
    response = client.post(reverse("courses:new"), _course(draft_badge))
    assert response.status_code == 200
    assert not CourseMapping.objects.exists()


def test_a_comment_shows_beside_its_criterion(client, mapping_in, staff, badge):
    mapping = mapping_in("submitted")
    client.force_login(staff)
    client.post(
        reverse("courses:comment", args=[mapping.pk]),
        {"badge": str(badge.pk), "field": "c2", "body": "Which rubric row?"},
    )
    comment = mapping.comments.get()
    assert (comment.submission, comment.author) == (1, staff)
    page = client.get(mapping.get_absolute_url()).content.decode()
    block = page.split(f'id="crit-{badge.pk}-c2"')[1].split('id="crit-')[0]
    assert "Which rubric row?" in block


def test_a_refused_comment_keeps_its_text(client, mapping_in, staff, badge):
    mapping = mapping_in("submitted")
    client.force_login(staff)
    url = reverse("courses:comment", args=[mapping.pk])
    too_long = "Kept comment " + "x" * 5_000
    response = client.post(
        url, {"badge": str(badge.pk), "field": "c1", "body": too_long}
    )
    assert response.status_code == 200
    assert too_long in response.content.decode()
    response = client.post(url, {"badge": str(badge.pk), "field": "c99", "body": "?"})
    assert "not part of this draft" in response.content.decode()
    assert not mapping.comments.exists()


def test_the_instructor_resolves_a_comment_from_the_form(
    client, mapping_in, instructor, badge
):
    mapping = mapping_in("changes_requested")
    comment = mapping.comments.create(
        submission=1, badge=str(badge.pk), field="c1", body="Which rubric?"
    )
    client.force_login(instructor)
    page = client.get(reverse("courses:edit", args=[mapping.pk])).content.decode()
    assert "Which rubric?" in page and f'form="resolve-{comment.pk}"' in page
    response = client.post(
        reverse("courses:resolve", args=[mapping.pk, comment.pk]), {"back": "edit"}
    )
    assert response.url == reverse("courses:edit", args=[mapping.pk])
    comment.refresh_from_db()
    assert comment.resolved_by == instructor


def test_editing_a_submitted_mapping_says_why_not(client, mapping_in, instructor):
    mapping = mapping_in("submitted")
    client.force_login(instructor)
    response = client.get(reverse("courses:edit", args=[mapping.pk]), follow=True)
    assert "the office is reviewing it" in response.content.decode()


def test_training_requests_are_listed_and_scheduled(client, mapping_in, staff):
    mapping = mapping_in("draft", training=Training.REQUESTED)
    client.force_login(staff)
    assert str(mapping) in client.get(reverse("courses:training")).content.decode()
    client.post(
        reverse("courses:training_update", args=[mapping.pk]), {"status": "scheduled"}
    )
    assert CourseMapping.objects.get(pk=mapping.pk).training == Training.REQUESTED
    client.post(
        reverse("courses:training_update", args=[mapping.pk]),
        {"status": "done", "on": "2027-02-01"},
    )
    mapping.refresh_from_db()
    assert (mapping.training, mapping.training_done_on) == (
        Training.DONE,
        datetime.date(2027, 2, 1),
    )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_list_and_detail_queries_do_not_grow(client, staff, badge, mapping_in):
    client.force_login(staff)
    mapping = mapping_in("submitted")
    mapping.comments.create(submission=1, badge=str(badge.pk), field="c1", body="?")
    detail = _queries(client, mapping.get_absolute_url())
    listing = _queries(client, reverse("courses:list"))
    for n in range(5):
        other = course_mapping(UserFactory(), badge=badge, course_code=f"BIO {n}")
        other.comments.create(submission=1, badge=str(badge.pk), field="c1", body="?")
        mapping.comments.create(submission=1, badge=str(badge.pk), field="c2", body="!")
    assert _queries(client, reverse("courses:list")) == listing
    assert _queries(client, mapping.get_absolute_url()) == detail


def test_the_staff_dashboard_counts_mapped_courses_per_badge_and_campus(
    client, staff, instructor, badge, mapping_in
):
    mapping_in("approved")
    mapping_in("approved", course_code="ENG 102")
    mapping_in("submitted", course_code="ENG 103")
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    row = f'<td>{badge.name}</td><td>UMA</td><td class="text-end">2</td>'
    assert row in page
    assert "1 mapping awaits your review" in page
    client.force_login(instructor)
    page = client.get(reverse("dashboard")).content.decode()
    assert "ENG 103" in page and "Mapped courses per badge" not in page
