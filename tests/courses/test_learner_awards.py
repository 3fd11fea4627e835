"""An approved course mapping lets its instructor award the mapped badges to their
learners (issue 16's follow-up), through the one issuing service."""

import pytest
from django.urls import reverse

from awards.models import Award, Source
from tests.factories import course_mapping, published_credential


def _post(client, mapping, badge, recipients="Lee Learner, lee@example.edu", **extra):
    return client.post(
        reverse("courses:award", args=[mapping.pk]),
        {
            "badge": badge.pk,
            "recipients": recipients,
            "issued_on": "2026-11-02",
            "batch": "b1",
            **extra,
        },
        follow=True,
    )


@pytest.fixture
def approved(instructor, badge):
    return course_mapping(instructor, state="approved", badge=badge)


def test_the_instructor_awards_the_mapped_badge(
    client, instructor, approved, badge, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(instructor)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, approved, badge)
    assert "Awarded to 1 learner," in response.text
    award = Award.objects.get()
    assert (award.badge, award.source, award.awarded_by) == (
        badge,
        Source.COURSE,
        instructor,
    )
    assert mailoutbox[0].to == ["lee@example.edu"]
    assert "Lee Learner" in response.text
    again = _post(client, approved, badge)
    assert again.status_code == 200 and Award.objects.count() == 1


def test_a_badge_the_mapping_does_not_map_is_refused(client, instructor, approved):
    other = published_credential().catalog_badges.first()
    client.force_login(instructor)
    response = _post(client, approved, other)
    assert "Select a valid choice" in response.text
    assert not Award.objects.exists()


def test_a_bad_row_awards_no_one_and_keeps_the_rows(
    client, instructor, approved, badge
):
    client.force_login(instructor)
    rows = "Lee Learner, lee@example.edu\nNo Address"
    response = _post(client, approved, badge, recipients=rows)
    assert "Line 2: write the name, a comma, then the email address." in response.text
    assert "No Address" in response.text
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    "state", ["draft", "submitted", "changes_requested", "retired"]
)
def test_only_an_approved_mapping_awards(client, instructor, badge, state):
    mapping = course_mapping(instructor, state=state, badge=badge)
    client.force_login(instructor)
    response = client.get(reverse("courses:award", args=[mapping.pk]), follow=True)
    assert "once staff approved it" in response.text
    _post(client, mapping, badge)
    assert not Award.objects.exists()


def test_the_mapping_page_offers_it_to_the_instructor_only(
    client, instructor, staff, approved
):
    url = reverse("courses:award", args=[approved.pk])
    client.force_login(instructor)
    assert url in client.get(approved.get_absolute_url()).text
    client.force_login(staff)
    assert url not in client.get(approved.get_absolute_url()).text
