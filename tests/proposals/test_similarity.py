import pytest
from django.urls import reverse

from bench.similarity import measure
from proposals.models import State
from proposals.similarity import similar_proposals, terms
from tests.factories import ProposalFactory


@pytest.fixture
def catalog(proposer):
    return {
        "welding": ProposalFactory(
            proposer=proposer,
            title="Welding Fundamentals",
            description="Learners practise MIG and TIG welding and shop safety.",
            state=State.DRAFTING,
        ),
        "advanced": ProposalFactory(
            proposer=proposer,
            title="Advanced Welder Certification",
            description="Structural welding to AWS D1.1 with a work placement.",
            state=State.PUBLISHED,
        ),
        "nursing": ProposalFactory(
            proposer=proposer,
            title="Nursing Preceptor Leadership",
            description="Registered nurses learn to precept new graduates.",
        ),
        "withdrawn": ProposalFactory(
            proposer=proposer,
            title="Welding for Artists",
            description="Sculpture welding.",
            state=State.WITHDRAWN,
        ),
    }


def test_terms_drop_stopwords_and_stem():
    assert terms("The Welders are welding") == ["weld", "weld"]
    assert terms("lathes lathe businesses business classes") == [
        "lathe",
        "lathe",
        "business",
        "business",
        "class",
    ]


def test_most_similar_first_and_unrelated_left_out(catalog):
    matches = similar_proposals("Welding basics", "MIG welding and shop safety")
    titles = [m.proposal.title for m in matches]
    assert titles[0] == "Welding Fundamentals"
    assert "Advanced Welder Certification" in titles
    assert "Nursing Preceptor Leadership" not in titles
    assert matches[0].score > matches[-1].score


def test_abandoned_efforts_are_not_suggested(catalog):
    titles = [m.proposal.title for m in similar_proposals("Welding", "sculpture")]
    assert "Welding for Artists" not in titles


def test_empty_text_finds_nothing(catalog):
    assert similar_proposals("the and of", "") == []


def test_similar_endpoint_links_only_what_the_user_may_open(client, outsider, catalog):
    client.force_login(outsider)
    response = client.get(
        reverse("proposals:similar"), {"title": "Welding", "description": "welding"}
    )
    html = response.content.decode()
    assert "Welding Fundamentals" in html
    # Published or not, a record the user has no part in is a card without a link.
    assert catalog["welding"].get_absolute_url() not in html
    assert catalog["advanced"].get_absolute_url() not in html


def test_staff_see_similar_proposals_while_triaging(client, staff, catalog, proposer):
    new = ProposalFactory(
        proposer=proposer, title="Intro to Welding", description="welding safety"
    )
    client.force_login(staff)
    response = client.get(new.get_absolute_url())
    titles = [hint.card.title for hint in response.context["hints"]]
    assert "Welding Fundamentals" in titles
    assert "Intro to Welding" not in titles


def test_similar_query_count_does_not_grow_with_candidates(
    client, outsider, proposer, django_assert_num_queries
):
    client.force_login(outsider)
    ProposalFactory(proposer=proposer, title="Welding course")
    # session, the user with its roles, candidates, which matches the user may open
    with django_assert_num_queries(4):
        client.get(reverse("proposals:similar"), {"title": "Welding"})
    ProposalFactory.create_batch(30, proposer=proposer, title="Welding course")
    with django_assert_num_queries(4):
        response = client.get(reverse("proposals:similar"), {"title": "Welding"})
    assert len(response.context["hints"]) == 5


def test_a_shared_generic_word_is_no_hint(proposer):
    # The reproduction: one shared "Leadership" (and "Maine") made a 25 % hint.
    ProposalFactory(
        proposer=proposer,
        title="Nursing Preceptor Leadership",
        description="Registered nurses learn to precept new graduates: adult learning, "
        "feedback, clinical assessment and preceptor well-being.",
    )
    matches = similar_proposals(
        "Outdoor Leadership for Maine Guides",
        "Aspiring Registered Maine Guides learn wilderness first aid, trip planning, "
        "navigation and how to lead groups safely in the backcountry.",
    )
    assert matches == []


def test_same_skill_in_other_words_is_a_hint(proposer):
    ProposalFactory(
        proposer=proposer,
        title="Cybersecurity Essentials for Small Business",
        description="Owners and employees of small businesses learn to recognise "
        "phishing, secure accounts and devices, and respond to a security incident.",
    )
    matches = similar_proposals(
        "Cyber Hygiene for Small Firms",
        "Strong passwords, spotting phishing emails, backups and what to do after a "
        "breach.",
    )
    assert [m.proposal.title for m in matches] == [
        "Cybersecurity Essentials for Small Business"
    ]


def test_hints_are_precise_and_find_most_duplicates_on_the_labelled_pairs(db, capsys):
    result = measure()
    with capsys.disabled():
        print(f"\nduplicate-effort hints: {result.summary()}")
    assert result.true_positives + result.false_negatives >= 30
    assert result.false_positives + result.true_negatives >= 30
    assert result.precision >= 0.9, result.mistakes
    assert result.recall >= 0.8, result.mistakes
