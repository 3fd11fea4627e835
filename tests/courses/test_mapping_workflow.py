"""The course mapping's state machine through its one service path: a state x action
table of every transition and every change a state may freeze, then the timeline,
notifications, conditions and stale pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from courses import services
from courses.forms import MappingCommentForm
from courses.models import CourseMapping, MappingComment
from proposals.models import Notification

TRANSITIONS = ["submit", "request_changes", "approve", "retire"]
CHANGES = ["edit", "comment", "resolve", "training"]
OK = "ok"
# state -> action -> the state it leads to (transitions), OK (changes) or None.
TABLE = {
    "draft": {"submit": "submitted", "edit": OK, "training": OK},
    "submitted": {
        "request_changes": "changes_requested",
        "approve": "approved",
        "comment": OK,
        "training": OK,
    },
    "changes_requested": {
        "submit": "submitted",
        "edit": OK,
        "resolve": OK,
        "training": OK,
    },
    "approved": {"retire": "retired", "training": OK},
    "retired": {},
}


def _actor(action, instructor, staff):
    return instructor if action in ("submit", "edit", "resolve") else staff


def _change(action, mapping, user, badge):
    if action == "edit":
        services.save(mapping, user=user, badges=[badge], rows={})
    elif action == "comment":
        form = MappingCommentForm(
            {"badge": str(badge.pk), "field": "c1", "body": "Which rubric?"},
            anchors={(str(badge.pk), "c1")},
        )
        assert form.is_valid()
        services.add_comment(form, mapping, user)
    elif action == "resolve":
        comment = MappingComment.objects.create(
            mapping=mapping, submission=1, badge=str(badge.pk), field="c1", body="?"
        )
        services.resolve_comment(comment, user)
        assert MappingComment.objects.get(pk=comment.pk).resolved_by == user
    else:
        services.set_training(mapping, status="scheduled", on=datetime.date(2027, 1, 5))


@pytest.mark.parametrize("action", TRANSITIONS + CHANGES)
@pytest.mark.parametrize("state", list(TABLE))
def test_state_by_action_table(mapping_in, instructor, staff, badge, state, action):
    mapping = mapping_in(state)
    user = _actor(action, instructor, staff)
    outcome = TABLE[state].get(action)
    if action in TRANSITIONS:
        if outcome is None:
            with pytest.raises(TransitionNotAllowed):
                services.perform(mapping, action, user=user, note="Because.")
            assert CourseMapping.objects.get(pk=mapping.pk).state == state
        else:
            services.perform(mapping, action, user=user, note="Because.")
            assert CourseMapping.objects.get(pk=mapping.pk).state == outcome
        return
    if outcome is None:
        with pytest.raises(ValidationError) as refused:
            _change(action, mapping, user, badge)
        assert "while the mapping is" in refused.value.messages[0]
    else:
        _change(action, mapping, user, badge)


def test_each_step_is_on_the_timeline(mapping_in, instructor, staff):
    mapping = mapping_in("draft")
    services.perform(mapping, "submit", user=instructor)
    services.perform(mapping, "request_changes", user=staff, note="Name a rubric.")
    steps = list(mapping.steps.values_list("source", "target", "actor", "note"))
    assert steps[1:] == [
        ("draft", "submitted", instructor.pk, ""),
        ("submitted", "changes_requested", staff.pk, "Name a rubric."),
    ]
    assert mapping.submission == 1


def test_notifications_reach_the_people_concerned_after_the_commit(
    mapping_in,
    instructor,
    staff,
    member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    mapping = mapping_in("draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(mapping, "submit", user=instructor)
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert Notification.objects.get().recipient == staff
    assert Notification.objects.get().link == mapping.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        services.perform(mapping, "approve", user=staff)
    assert mailoutbox[-1].to == [instructor.email]
    assert "approve" in mailoutbox[-1].subject.lower()


def test_submitting_needs_the_coverage_check_to_pass(mapping_in, instructor):
    mapping = mapping_in("draft", complete=False)
    with pytest.raises(services.ConditionsUnmet) as refused:
        services.perform(mapping, "submit", user=instructor)
    assert "no assignment assesses" in refused.value.problems[0]
    assert CourseMapping.objects.get(pk=mapping.pk).state == "draft"


@pytest.mark.parametrize(
    ("name", "message"),
    [("request_changes", "should change"), ("retire", "no longer awards")],
)
def test_sending_back_and_retiring_need_a_reason(mapping_in, staff, name, message):
    mapping = mapping_in("submitted" if name == "request_changes" else "approved")
    with pytest.raises(ValidationError, match=message):
        services.perform(mapping, name, user=staff, note="  ")


def test_permission_is_checked_before_anything(mapping_in, instructor, member):
    mapping = mapping_in("submitted")
    for user in (instructor, member):
        with pytest.raises(PermissionDenied):
            services.perform(mapping, "approve", user=user)


def test_a_page_older_than_the_state_changes_nothing(mapping_in, staff):
    mapping = mapping_in("submitted")
    with pytest.raises(services.StaleMapping):
        services.perform(mapping, "approve", user=staff, expected_state="draft")
    assert CourseMapping.objects.get(pk=mapping.pk).state == "submitted"


def test_state_is_protected(mapping_in):
    mapping = mapping_in("draft")
    with pytest.raises(AttributeError):
        mapping.state = "approved"
    mapping.refresh_from_db()
    assert mapping.state == "draft"
