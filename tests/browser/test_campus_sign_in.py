"""In real Chromium: Grace signs in with her campus account, through the OpenID
provider's own login page, lands on her dashboard with her campus recorded, then
signs out of the site and of her campus."""

import pytest
from django.contrib.auth.models import User

from tests.sso.providers import register_oidc_campus

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_sign_in_through_the_campus_login_page(
    new_page, step, screenshot, oidc_op, live_server
):
    register_oidc_campus(oidc_op)

    page = new_page()
    # The provider's development login page asks Google for a font (no network
    # here) and the browser asks it for a favicon: answer both, quietly.
    page.route("https://fonts.googleapis.com/**", lambda route: route.fulfill(body=""))
    page.route(f"{oidc_op.url}/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto("/accounts/login/")
    step(page, "sso-01-sign-in-choices")
    page.get_by_role("link", name="Sign in with University of Southern Maine").click()

    page.wait_for_url(f"{oidc_op.url}/**")
    page.locator("input[name=login]").fill("grace")
    page.locator("input[name=password]").fill("any password")
    screenshot(page, "sso-02-campus-login-page")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    step(page, "sso-03-dashboard")

    user = User.objects.get(email="grace@maine.edu")
    assert (user.profile.campus.short_name, user.profile.department) == (
        "USM",
        "Computer Science",
    )

    page.get_by_role("button", name="Grace Hopper").click()
    assert page.get_by_role("link", name="Change password").count() == 0
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out of this site").wait_for()
    step(page, "sso-04-signed-out")
    page.get_by_role(
        "link", name="Sign out of University of Southern Maine too"
    ).click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url
