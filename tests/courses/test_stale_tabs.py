"""Two tabs open on the same mapping: a save from the older page never overwrites
the newer one silently. Fields changed on one side merge; a field both changed is
shown with both versions and nothing is saved until the instructor saves again."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench.load import form_post
from courses.models import CourseMapping

FORM = "mapping-form"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL connections"
)


@pytest.fixture
def tabs(client, instructor, mapping_in):
    """The edit address and two posts read from it before either tab saves."""
    mapping = mapping_in("draft")
    client.force_login(instructor)
    url = reverse("courses:edit", args=[mapping.pk])
    return (
        url,
        form_post(client.get(url).text, FORM),
        form_post(client.get(url).text, FORM),
    )


def _first_assignment(post: dict) -> str:
    return sorted(name for name in post if name.endswith("-assignment"))[0]


def _saved() -> CourseMapping:
    return CourseMapping.objects.get()


def _assignment(mapping: CourseMapping, field: str) -> str:
    _a, _badge, key, _name = field.split("-")
    return mapping.assessments.get(criterion=key).assignment


def test_changes_on_different_fields_both_survive(client, tabs):
    url, tab_a, tab_b = tabs
    row = _first_assignment(tab_a)
    tab_a |= {"course_title": ["Composition II"], row: ["Portfolio"]}
    assert client.post(url, tab_a).status_code == 302
    tab_b["starts"] = ["Spring 2028"]

    page = client.post(url, tab_b, follow=True).content.decode()

    assert "Mapping saved." in page
    assert "Changes saved meanwhile by someone else were kept" in page
    mapping = _saved()
    assert (mapping.course_title, mapping.starts) == ("Composition II", "Spring 2028")
    assert _assignment(mapping, row) == "Portfolio"


def test_a_field_both_changed_is_shown_and_nothing_saved_until_chosen(client, tabs):
    url, tab_a, tab_b = tabs
    row = _first_assignment(tab_a)
    tab_a |= {"course_title": ["Composition II"], row: ["Portfolio"]}
    client.post(url, tab_a)
    tab_b |= {"course_title": ["Writing Studio"], "starts": ["Spring 2028"]}

    response = client.post(url, tab_b)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved this form after you opened it" in page
    assert "Saved meanwhile: Composition II" in page
    shown = form_post(page, FORM)
    assert shown["course_title"] == ["Writing Studio"]
    assert shown["starts"] == ["Spring 2028"]
    assert shown[row] == ["Portfolio"]
    mapping = _saved()
    assert (mapping.course_title, mapping.starts) == ("Composition II", "Fall 2027")

    assert client.post(url, shown).status_code == 302
    mapping = _saved()
    assert (mapping.course_title, mapping.starts) == ("Writing Studio", "Spring 2028")
    assert _assignment(mapping, row) == "Portfolio"


def test_a_save_from_the_current_page_saves_at_once(client, tabs):
    url, tab_a, _tab_b = tabs
    tab_a["starts"] = ["Spring 2028"]
    page = client.post(url, tab_a, follow=True).content.decode()
    assert "Mapping saved." in page
    assert "meanwhile" not in page
    assert _saved().starts == "Spring 2028"


@pytest.mark.parametrize("basis", ["", "{", "[1]", '{"starts": 5}'])
def test_a_missing_or_mangled_basis_never_breaks_the_save(client, tabs, basis):
    url, tab_a, _tab_b = tabs
    tab_a |= {"starts": ["Spring 2028"], "based_on": [basis]}
    assert client.post(url, tab_a).status_code in (200, 302)


def _race(url: str, instructor, posts: list[dict]) -> list[int]:
    """Post each tab's form at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(posts))
    statuses = [0] * len(posts)

    def run(index: int, post: dict) -> None:
        try:
            client = Client()
            client.force_login(instructor)
            barrier.wait(timeout=10)
            statuses[index] = client.post(url, post).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_different_fields_both_land(client, tabs, instructor):
    url, tab_a, tab_b = tabs
    tab_a["course_title"] = ["Composition II"]
    tab_b["starts"] = ["Spring 2028"]
    assert _race(url, instructor, [tab_a, tab_b]) == [302, 302]
    mapping = _saved()
    assert (mapping.course_title, mapping.starts) == ("Composition II", "Spring 2028")


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_field_save_one_and_show_it_to_the_other(
    client, tabs, instructor
):
    url, tab_a, tab_b = tabs
    tab_a["course_title"] = ["Composition II"]
    tab_b["course_title"] = ["Writing Studio"]
    assert sorted(_race(url, instructor, [tab_a, tab_b])) == [200, 302]
    assert _saved().course_title in ("Composition II", "Writing Studio")
