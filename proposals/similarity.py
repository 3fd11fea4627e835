"""Find existing efforts like a new idea, so that people join one instead of starting
a second (seed 001: avoid duplicated effort across the campuses)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from proposals.models import ABANDONED_STATES, Proposal
from proposals.policy import DuplicateCard, duplicate_card

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "over",
        "own",
        "same",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
        "badge",
        "badges",
        "credential",
        "credentials",
        "micro",
        "level",
        "levels",
        "learner",
        "learners",
        "students",
        "earn",
        "earners",
        "earned",
    ]
)
GENERIC_WEIGHT = 0.1
WORD = re.compile(r"[a-z0-9]+")
# Words of a query used to narrow the candidates in the database; title words and then
# the longest words are the most telling, and a bound keeps the query small.
PREFILTER_WORDS = 12
CANDIDATE_LIMIT = 400
# Chosen on the labelled pairs of tests/proposals/data/similarity_pairs.json (see
# bench/similarity.py) in the middle of the range where precision stays at 0.95:
# below 0.28 wrong hints grow, above 0.32 duplicates are missed.
MIN_SCORE = 0.3
# Wrong hints on the labelled pairs scored at most 0.35; "strong" stays clear of them.
STRONG_SCORE = 0.5
# A word this long that begins another ("cyber", "cybersecurity") is taken as its stem.
PREFIX_STEM = 5
SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ies", "es", "ed", "s")


def _stem(word: str) -> str:
    if word.endswith(("ss", "us", "is")):
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "es" and not word.endswith(("sses", "xes", "ches", "shes")):
                return word[:-1]
            return word[: -len(suffix)]
    return word


# Words that say what kind of credential or document a text is, or that a whole field
# shares, not what skill it teaches: "Outdoor Leadership for Maine Guides" and
# "Nursing Preceptor Leadership" share only such a word. They still count, a little,
# so that two titles made only of them can meet.
GENERIC_WORDS = """
    ability abilities able advanced applied awareness basic basics capacity career
    careers center century certificate certification college competence competency
    competencies complete completion comprehension concept core course courses
    demonstrate demonstrated develop development effective employee employees
    environment essential essentials exhibit experience field focus foundation
    foundations foundational fundamental fundamentals general include includes
    individual individuals industry intro introduction knowledge lead leader leaders
    leadership learn learning literacy maine manage management new practical practice
    practise principle principles prepare preparatory professional professionals program
    programs proficiency readiness safe safety setting settings skill skills staff
    standard standards student sub support team teams technician technicians understand
    understanding use using work worker workers working workplace 21st
"""
GENERIC = frozenset(map(_stem, GENERIC_WORDS.split()))


def terms(text: str) -> list[str]:
    """Lower-case content words, crudely stemmed so "welder" and "welding" meet."""
    return [
        _stem(word)
        for word in WORD.findall(text.lower())
        if len(word) >= 3 and word not in STOPWORDS
    ]


def _weight(term: str) -> float:
    return GENERIC_WEIGHT if term in GENERIC else 1.0


def _vector(title: str, description: str) -> Counter:
    # A shared title word says more about sameness than a shared description word.
    vector: Counter = Counter()
    for term in terms(description):
        vector[term] += _weight(term)
    for term in terms(title):
        vector[term] += 3 * _weight(term)
    return vector


class _Spelling:
    """Spells a candidate's words as the query's where they share a stem ("cyber",
    "cybersecurity"), remembering each answer; looked up by the first letters, so a
    long description costs no more than a short one per word."""

    def __init__(self, query: Counter) -> None:
        self.known = {term: term for term in query}
        self.by_prefix: dict[str, list[str]] = {}
        for term in query:
            if len(term) >= PREFIX_STEM:
                self.by_prefix.setdefault(term[:PREFIX_STEM], []).append(term)

    def of(self, term: str) -> str:
        if term not in self.known:
            self.known[term] = next(
                (
                    q
                    for q in self.by_prefix.get(term[:PREFIX_STEM], ())
                    if q.startswith(term) or term.startswith(q)
                ),
                term,
            )
        return self.known[term]

    def vector(self, vector: Counter) -> Counter:
        aligned: Counter = Counter()
        for term, value in vector.items():
            aligned[self.of(term)] += value
        return aligned


def _cosine(a: Counter, b: Counter, idf: dict[str, float]) -> float:
    dot = sum(a[t] * b[t] * idf.get(t, 1.0) ** 2 for t in a.keys() & b.keys())
    if not dot:
        return 0.0
    norm_a = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in a.items()))
    norm_b = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in b.items()))
    return dot / (norm_a * norm_b)


@dataclass
class Match:
    proposal: Proposal
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def strength(self) -> str:
        return _("Strong match") if self.score >= STRONG_SCORE else _("Possible match")


def similar_proposals(
    title: str, description: str = "", *, exclude_pk: int | None = None, limit: int = 5
) -> list[Match]:
    """Proposals and published credentials on any campus most like the given text,
    best first. Declined and withdrawn efforts are left out: nothing to join there."""
    query = _vector(title, description)
    if not query:
        return []
    words = sorted(query, key=lambda t: (-query[t], -len(t)))[:PREFILTER_WORDS]
    prefilter = Q()
    for word in words:
        prefilter |= Q(title__icontains=word) | Q(description__icontains=word)
    candidates = list(
        Proposal.objects.exclude(state__in=ABANDONED_STATES)
        .exclude(pk=exclude_pk)
        .filter(prefilter)
        .select_related("campus")
        .only("pk", "title", "description", "state", "campus__name", "created_at")
        .order_by("-pk")[:CANDIDATE_LIMIT]
    )
    spelling = _Spelling(query)
    vectors = [
        (p, spelling.vector(_vector(p.title, p.description))) for p in candidates
    ]
    document_frequency = Counter(
        t for _proposal, v in vectors for t in v.keys() & query.keys()
    )
    total = len(vectors) + 1
    idf = {t: math.log(1 + total / (1 + df)) for t, df in document_frequency.items()}
    matches = [Match(p, _cosine(query, v, idf)) for p, v in vectors]
    matches = [m for m in matches if m.score >= MIN_SCORE]
    matches.sort(key=lambda m: (-m.score, -m.proposal.pk))
    return matches[:limit]


@dataclass(frozen=True)
class Hint:
    """One similarity hint as its reader may see it: the duplicate-effort card, and a
    link and the score only for a record the reader may open (a score moved by
    another proposal's hidden text would let a reader probe it word by word)."""

    card: DuplicateCard
    strength: str
    percent: int | None
    url: str


def hints_for(matches: list[Match], user) -> list[Hint]:
    """The matches as `user` may see them, in one query for which they may open."""
    openable = set(
        Proposal.objects.visible_to(user)
        .filter(pk__in=[m.proposal.pk for m in matches])
        .values_list("pk", flat=True)
    )
    return [
        Hint(
            card=duplicate_card(m.proposal),
            strength=m.strength if m.proposal.pk in openable else "",
            percent=m.percent if m.proposal.pk in openable else None,
            url=m.proposal.get_absolute_url() if m.proposal.pk in openable else "",
        )
        for m in matches
    ]
