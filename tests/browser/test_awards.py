"""Awards in real Chromium: staff award a published badge to two people, one of
them claims it from the link in her email, downloads it and sees it verified; staff
revoke the other's, whose page then says so and why. Every page is screenshotted
and checked with axe-core."""

import re

import pytest
from django.core import mail

from tests.browser.test_interest_to_accept import sign_in
from tests.factories import published_credential, staff_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_staff_award_the_recipient_claims_and_anyone_verifies(
    new_page, step, settings, live_server
):
    # Links in emails and on pages lead to the site, here the live server.
    settings.SITE_URL = live_server.url
    proposal = published_credential()
    badge = proposal.catalog_badges.order_by("position").first()
    staff_user(username="sam", first_name="Sam", last_name="Reyes")

    staff = new_page()
    sign_in(staff, "sam")
    staff.goto(badge.get_absolute_url())
    staff.get_by_role("link", name="Award this badge").first.click()
    staff.get_by_label("Recipients").fill(
        "Ada Lovelace, ada@example.edu\nGrace Hopper, grace@example.edu"
    )
    staff.get_by_label("Evidence link").fill("https://portfolio.example.edu/ada")
    step(staff, "awards-1-award-form")
    staff.get_by_role("button", name="Award and send claim links").click()
    staff.get_by_text("Awarded to 2 people").wait_for()
    step(staff, "awards-2-awards-of-the-badge")

    [message] = [m for m in mail.outbox if m.to == ["ada@example.edu"]]
    link = re.search(r"https?://\S+/awards/claim/\S+/", message.body).group(0)
    ada = new_page()
    ada.goto(link)
    ada.get_by_text("it is valid.").wait_for()
    ada.get_by_role("button", name="Accept the badge").click()
    ada.get_by_text("The badge is yours").wait_for()
    linkedin = ada.get_by_role("link", name="Add to LinkedIn profile")
    assert linkedin.get_attribute("href").startswith(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
    )
    step(ada, "awards-3-claimed")
    with ada.expect_download() as download:
        ada.get_by_role("link", name="Badge image, Open Badges 3.0 (PNG)").click()
    baked = download.value.path().read_bytes()
    ada.get_by_role("link", name=re.compile(r"awards.[0-9a-f-]{36}")).click()
    ada.get_by_text("it is valid.").wait_for()
    step(ada, "awards-4-verified")

    # An employer checks the image Ada sent them.
    employer = new_page()
    employer.goto("/awards/verify/")
    employer.get_by_label("Badge file").set_input_files(
        files=[{"name": "badge.png", "mimeType": "image/png", "buffer": baked}]
    )
    employer.get_by_role("button", name="Check").click()
    employer.get_by_text("issued to Ada Lovelace").wait_for()
    step(employer, "awards-5-file-checked")

    staff.get_by_role("row", name=re.compile("Grace Hopper")).get_by_role(
        "link", name="Revoke"
    ).click()
    staff.get_by_label("Why is it revoked?").fill("Awarded to the wrong person.")
    step(staff, "awards-6-revoke")
    staff.get_by_role("button", name="Revoke the award").click()
    staff.get_by_text("The award to Grace Hopper is revoked.").wait_for()
    staff.get_by_role("row", name=re.compile("Grace Hopper")).get_by_role(
        "link", name="Verify"
    ).click()
    staff.get_by_text("because: Awarded to the wrong person.").wait_for()
    step(staff, "awards-7-revoked")
