"""Badges in courses, in real Chromium: a faculty member maps her course to an
imported 21st Century Skills badge, staff comment on a criterion and request a
change, she answers and resubmits, staff approve, and an anonymous visitor finds the
course on the badge's public page. Every step is screenshotted and checked with
axe-core."""

import pytest

from credentials.catalog_import import import_catalog
from credentials.models import CatalogBadge, Issuer
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import UserFactory, campus, staff_user

pytestmark = pytest.mark.browser

ROW = (
    "21st Century Skills | Critical Thinking | WDB-003: Critical Thinking | Level 1 | "
    "Critical thinking in the 21st century includes the capacity to reason logically "
    "and rigorously. Effective critical thinkers exhibit four core sub-competencies: "
    "gather and assess relevant information; identify patterns; question "
    "assumptions; and draw well-reasoned conclusions. |\n"
)


def _confirm(page, action: str, note: str = "") -> None:
    page.get_by_role("link", name=action, exact=True).click()
    if note:
        page.locator("textarea[name='note']").fill(note)
    page.get_by_role("button", name=f"Confirm: {action}").click()
    page.get_by_text("the mapping is now").wait_for()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_faculty_map_a_course_staff_review_and_the_public_see_it(new_page, step):
    admin = UserFactory(username="root", is_superuser=True)
    import_catalog(ROW, issuer=Issuer.default(), campus=campus("UMA"), by=admin)
    badge = CatalogBadge.objects.get(name="Critical Thinking")
    UserFactory(username="ines", first_name="Ines", last_name="Moreau")
    staff_user(username="sam", first_name="Sam", last_name="Reyes")
    row = f"a-{badge.pk}"

    faculty = new_page()
    sign_in(faculty, "ines")
    faculty.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Course mappings"
    ).click()
    faculty.get_by_role("link", name="Map a course to a badge").click()
    faculty.get_by_label("Course code").fill("ENG 101")
    faculty.get_by_label("Course or program title").fill("College Composition")
    faculty.get_by_label("Campus").select_option(label="University of Maine at Augusta")
    faculty.get_by_label("First term").fill("Fall 2027")
    faculty.get_by_label("Expected learners per year").fill("120")
    faculty.get_by_label("Badges your course awards").select_option(
        label="Critical Thinking (21st Century Skills)"
    )
    faculty.get_by_label("I would like the quick mapping training").check()
    faculty.get_by_role("button", name="Save as a draft").click()
    faculty.get_by_text("now name the assignment").wait_for()
    step(faculty, "mapping-1-criteria-to-fill")

    for n, assignment in enumerate(
        ["Source log", "Pattern memo", "Counter-argument", "Final essay"], start=1
    ):
        faculty.locator(f"[name='{row}-c{n}-assignment']").fill(assignment)
        faculty.locator(f"[name='{row}-c{n}-method']").select_option("rubric")
        if n != 2:
            faculty.locator(f"[name='{row}-c{n}-threshold']").fill("3 of 4")
    faculty.get_by_role("button", name="Save the mapping").click()
    faculty.get_by_text("Mapping saved.").wait_for()
    # One gap left: the coverage check names it and links to it.
    gap = faculty.get_by_role("link", name="give the passing threshold", exact=False)
    assert gap.get_attribute("href") == f"#crit-{badge.pk}-c2"
    step(faculty, "mapping-2-one-gap")
    faculty.locator(f"[name='{row}-c2-threshold']").fill("Pass")
    faculty.get_by_role("button", name="Save the mapping").click()
    faculty.get_by_text("Every criterion of every chosen badge is assessed").wait_for()
    faculty.get_by_role("link", name="Back to the mapping").click()
    _confirm(faculty, "Submit for review")

    office = new_page()
    sign_in(office, "sam")
    office.goto("/courses/")
    office.get_by_role("link", name="ENG 101 College Composition").click()
    criterion = office.locator(f"#crit-{badge.pk}-c2")
    criterion.get_by_text("Comment on this criterion").click()
    criterion.get_by_label("Comment").fill(
        "“Pass” is not a threshold: which rubric level?"
    )
    criterion.get_by_role("button", name="Add comment").click()
    office.get_by_text("the instructor sees it beside the criterion").wait_for()
    step(office, "mapping-3-staff-comment")
    _confirm(office, "Request changes", "Please give a rubric level for criterion 2.")

    faculty.reload()
    faculty.get_by_role("link", name="Edit the mapping").click()
    faculty.get_by_text("which rubric level?").wait_for()
    step(faculty, "mapping-4-comment-beside-criterion")
    faculty.locator(f"[name='{row}-c2-threshold']").fill("Proficient (3 of 4)")
    faculty.get_by_role("button", name="Save the mapping").click()
    faculty.get_by_role("button", name="Mark resolved").click()
    faculty.get_by_text("Comment resolved.").wait_for()
    faculty.get_by_role("link", name="Back to the mapping").click()
    _confirm(faculty, "Submit for review", "Threshold given.")

    office.reload()
    _confirm(office, "Approve the mapping")
    step(office, "mapping-5-approved-timeline")
    office.goto("/courses/")
    office.get_by_role("link", name="Training requests").click()
    office.get_by_text("Ines Moreau").wait_for()
    step(office, "mapping-6-training-requests")
    office.goto("/dashboard/")
    office.get_by_text("Mapped courses per badge and campus").wait_for()
    step(office, "mapping-7-staff-dashboard")

    visitor = new_page()
    visitor.goto(f"/catalog/{badge.proposal_id}/")
    visitor.get_by_text(
        "ENG 101 College Composition, University of Maine at Augusta, from Fall 2027"
    ).wait_for()
    step(visitor, "mapping-8-public-badge-page")
    visitor.goto("/catalog/?offered=UMA")
    visitor.get_by_text("Earn it in:").wait_for()
    step(visitor, "mapping-9-catalog-filter")
