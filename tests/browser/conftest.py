import os
from pathlib import Path

import pytest

from approvals import services as workflow
from teams.models import Membership, Role
from teams.services import form_team
from tests.browser.test_interest_to_accept import sign_in
from tests.factories import (
    ProposalFactory,
    UserFactory,
    campus,
    log_meetings,
    staff_user,
)

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls
# the tests make there are still synchronous, so Django's guard is lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) at the live server. The test
    fails if a page breaks the Content-Security-Policy or raises a script error.
    `new_page.loads` counts the pages loaded in all of them (the effort a journey
    takes, in page loads)."""
    contexts, problems, loads = [], [], []

    def watch_console(message):
        if "Content Security Policy" in message.text or message.type == "error":
            problems.append(message.text)

    def make():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch_console)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("load", lambda loaded: loads.append(loaded.url))
        return page

    make.loads = loads
    yield make
    for context in contexts:
        context.close()
    assert problems == [], problems


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# Impacts that fail the accessibility check (WCAG 2.1 AA: none of these may remain).
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def step(screenshot):
    """Save a screenshot of the page and run axe-core on it: no serious or critical
    accessibility violation may remain."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def take(page, name: str) -> None:
        screenshot(page, name)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in axe.run(
                page,
                options={
                    "runOnly": {
                        "type": "tag",
                        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                    }
                },
            ).response["violations"]
            if v["impact"] in BLOCKING_IMPACTS
        ]
        assert violations == [], f"{name}: {violations}"

    return take


@pytest.fixture
def welding_editors(transactional_db, reference_data, new_page):
    """A pathway in drafting whose lead Fran and designer Dana (UMA) each have the
    editor open in a browser of their own: the co-editing tests' starting point.
    Returns the proposal and the two pages."""
    lead = UserFactory(username="fran", first_name="Fran", last_name="Acker")
    mate = UserFactory(username="dana", first_name="Dana", last_name="Ellis")
    proposal = ProposalFactory(
        proposer=lead, title="Welding Fundamentals", state="team_forming"
    )
    team = form_team(proposal)
    Membership.objects.create(
        team=team, user=mate, role=Role.DESIGNER, campus=campus("UMA")
    )
    log_meetings(team)
    workflow.perform(proposal, "start_development", user=staff_user(username="sam"))
    fran, dana = new_page(), new_page()
    for page, username in ((fran, "fran"), (dana, "dana")):
        sign_in(page, username)
        page.goto(f"/proposals/{proposal.pk}/template/")
    return proposal, fran, dana
