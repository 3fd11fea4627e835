"""Awards from a CSV file, in real Chromium: staff upload a file with mistakes, read
what is wrong row by row, upload the corrected file, confirm, and the progress page
follows a real worker to the result. Every page is screenshotted and checked with
axe-core."""

import pytest

from award_imports.models import AwardImport, Status
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import published_credential, staff_user

pytestmark = pytest.mark.browser

HEADER = "name;email;evidence link;date\n"


def _file(text: str) -> dict:
    return {"name": "cohort.csv", "mimeType": "text/csv", "buffer": text.encode()}


@pytest.mark.django_db(transaction=True)
def test_staff_award_a_badge_from_a_csv_file(run_worker, new_page, step):
    badge = published_credential().catalog_badges.order_by("position").first()
    staff_user(username="sam", first_name="Sam", last_name="Reyes")
    page = new_page()
    sign_in(page, "sam")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Awards", exact=True
    ).click()
    page.get_by_role("link", name="Awards from CSV files").click()
    page.get_by_role("link", name="Award a badge from a CSV file").click()

    page.get_by_label("Badge").select_option(str(badge.pk))
    page.get_by_label("CSV file").set_input_files(
        _file(HEADER + "Ada Lovelace;ada@example;;2026-02-30\n;grace@example.edu;;\n")
    )
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#problems li")
    problems.first.wait_for()
    assert problems.all_inner_texts() == [
        "Row 2, email: “ada@example” is not an email address",
        "Row 2, date: “2026-02-30” is not a date: write it as 2026-09-30 or 09/30/2026",
        "Row 3, name: missing",
    ]
    step(page, "award-import-1-problems")

    people = "".join(f"Learner {n};learner{n}@example.edu;;\n" for n in range(12))
    page.get_by_label("CSV file").set_input_files(_file(HEADER + people))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("Every row passed the checks").wait_for()
    step(page, "award-import-2-preview")

    page.get_by_role("button", name="Issue 12 awards").click()
    page.get_by_text("waiting for the worker").wait_for()
    step(page, "award-import-3-queued")

    run_worker()
    # The page notices by itself, without a click.
    page.get_by_text("12 awards issued, their claim emails queued").wait_for()
    assert page.locator("progress").get_attribute("value") == "12"
    step(page, "award-import-4-done")
    assert AwardImport.objects.get().status == Status.DONE
