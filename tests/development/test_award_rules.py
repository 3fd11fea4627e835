"""The pathway's rules on the generic award paths: its badges are awarded only from
its own page (which checks the record), whichever page or service is tried; and
revoking a level offers to revoke the macro-badge that rests on it."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from awards import services as awards
from awards.models import Award, Source
from development.models import LaunchChecklist
from proposals.models import State
from tests.development.conftest import ALL_EVIDENCE, CHECKLIST, evidence, person_on_team
from tests.factories import issued_award

REFUSED = "Development pathway badges are awarded from the pathway"


@pytest.fixture
def holder(client, staff, loaded):
    """Someone who was awarded the three levels, and with them the macro-badge."""
    person, proposal = person_on_team(State.APPROVED)
    LaunchChecklist.objects.create(proposal=proposal, **CHECKLIST)
    evidence(person, ALL_EVIDENCE)
    client.force_login(staff)
    client.post(
        reverse("development:award"),
        {"award": [f"{person.pk}:{level}" for level in ("1", "2", "3")]},
    )
    assert Award.objects.filter(recipient=person).count() == 4
    return person


def test_the_issuing_service_refuses_a_pathway_badge_from_another_path(staff, loaded):
    for source in (Source.MANUAL, Source.CSV, Source.COURSE):
        with pytest.raises(ValidationError, match=REFUSED):
            awards.issue(
                loaded["1"],
                name="Ada Learner",
                email="ada@example.edu",
                awarded_by=staff,
                source=source,
            )
    assert not Award.objects.exists()


def test_the_badge_page_sends_staff_to_the_pathway(client, staff, loaded):
    client.force_login(staff)
    url = reverse("awards:badge", args=[loaded["2"].pk])
    page = client.get(url)
    assert REFUSED in page.text
    assert reverse("development:staff") in page.text
    assert 'name="recipients"' not in page.text
    posted = client.post(
        url, {"recipients": "Ada Learner <ada@example.edu>"}, follow=True
    )
    assert posted.redirect_chain[-1][0] == reverse("development:staff")
    assert REFUSED in posted.text
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("page", "field"), [("award_imports:new", "badge"), ("courses:new", "badges")]
)
def test_the_generic_forms_do_not_offer_pathway_badges(
    client, staff, loaded, page, field
):
    other = issued_award().badge
    client.force_login(staff)
    html = client.get(reverse(page)).text
    [choices] = re.findall(rf'<select name="{field}".*?</select>', html, re.S)
    offered = set(re.findall(r'value="(\d+)"', choices))
    assert str(other.pk) in offered
    assert not offered & {str(badge.pk) for badge in loaded.values()}
    assert "awarded from the pathway's page" in html


def test_a_csv_import_of_a_pathway_badge_is_refused(client, staff, loaded):
    client.force_login(staff)
    upload = io.BytesIO(b"name,email\nAda Learner,ada@example.edu\n")
    upload.name = "people.csv"
    page = client.post(
        reverse("award_imports:new"), {"badge": loaded["1"].pk, "file": upload}
    )
    assert page.status_code == 200
    assert "Select a valid choice" in page.text
    assert not Award.objects.exists()


def test_other_badges_keep_the_generic_form(client, staff, loaded):
    client.force_login(staff)
    award = issued_award()
    page = client.get(reverse("awards:badge", args=[award.badge_id]))
    assert 'name="recipients"' in page.text and REFUSED not in page.text


def test_revoking_a_level_offers_to_revoke_the_macro_badge(client, staff, holder):
    level2 = Award.objects.get(recipient=holder, badge__level="2")
    macro = Award.objects.get(recipient=holder, badge__level="macro")
    url = reverse("awards:revoke", args=[level2.uuid])
    page = client.get(url)
    assert "rests on this one" in page.text and macro.badge.name in page.text
    assert re.search(r'<input[^>]*name="also_resting"[^>]*checked', page.text)
    client.post(url, {"reason": "Quiz taken by someone else.", "also_resting": "on"})
    macro.refresh_from_db()
    level2.refresh_from_db()
    assert level2.is_revoked and macro.is_revoked
    assert macro.revocation_reason == (
        f"It rests on the {level2.badge.name} award, revoked: "
        "Quiz taken by someone else."
    )
    # The other levels stand.
    assert Award.objects.filter(recipient=holder, revoked_at__isnull=True).count() == 2


def test_staff_may_keep_the_macro_badge(client, staff, holder):
    level1 = Award.objects.get(recipient=holder, badge__level="1")
    client.post(
        reverse("awards:revoke", args=[level1.uuid]), {"reason": "Wrong cohort."}
    )
    level1.refresh_from_db()
    assert level1.is_revoked
    assert not Award.objects.get(recipient=holder, badge__level="macro").is_revoked


def test_a_macro_badge_revoked_meanwhile_keeps_its_own_reason(client, staff, holder):
    level3 = Award.objects.get(recipient=holder, badge__level="3")
    macro = Award.objects.get(recipient=holder, badge__level="macro")
    url = reverse("awards:revoke", args=[level3.uuid])
    assert "rests on this one" in client.get(url).text
    awards.revoke(macro, by=staff, reason="Revoked in another tab.")
    client.post(url, {"reason": "Mistake.", "also_resting": "on"})
    macro.refresh_from_db()
    assert macro.revocation_reason == "Revoked in another tab."
    level3.refresh_from_db()
    assert level3.is_revoked
