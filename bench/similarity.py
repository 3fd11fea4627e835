"""Measure the duplicate-effort hints against labelled pairs.

    .venv/bin/python bench/similarity.py [--verbose]

Stores every proposal of tests/proposals/data/similarity_pairs.json (the demo's, the
imported catalog's and written ones), asks for the hints of each pair's query as the
new-idea form does, and counts a pair as hinted when the candidate is among them.
Prints precision and recall at the threshold in proposals/similarity.py, and with
--verbose the pairs it gets wrong. A fresh SQLite file; tests/proposals/
test_similarity.py runs the same measurement on the test database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "proposals" / "data" / "similarity_pairs.json"


@dataclass
class Measurement:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        hinted = self.true_positives + self.false_positives
        return self.true_positives / hinted if hinted else 1.0

    @property
    def recall(self) -> float:
        same = self.true_positives + self.false_negatives
        return self.true_positives / same if same else 1.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.2f}, recall {self.recall:.2f} "
            f"({self.true_positives} right hints, {self.false_positives} wrong hints, "
            f"{self.false_negatives} missed, {self.true_negatives} rightly not hinted)"
        )


def measure(path: Path = PAIRS) -> Measurement:
    """Store the labelled set's proposals in the current database and measure the
    hints on its pairs."""
    from django.contrib.auth.models import User

    from proposals.models import CredentialType, PathwayType, Proposal, State
    from proposals.similarity import similar_proposals
    from teams.models import Campus

    data = json.loads(path.read_text())
    user = User.objects.create_user("similarity-bench")
    campus = Campus.objects.filter(is_active=True).first()
    stored = {
        item["key"]: Proposal.objects.create(
            state=State.PUBLISHED if item["source"] == "catalog" else State.SUBMITTED,
            proposer=user,
            proposer_name="Bench",
            proposer_email="bench@example.edu",
            campus=campus,
            title=item["title"],
            credential_type=CredentialType.STANDALONE,
            pathway_type=PathwayType.WORKFORCE,
            description=item["description"],
            target_audience="Adults",
        )
        for item in data["corpus"]
    }
    result = Measurement()
    for pair in data["pairs"]:
        query, candidate = stored[pair["query"]], stored[pair["candidate"]]
        matches = similar_proposals(query.title, query.description, exclude_pk=query.pk)
        score = next((m.percent for m in matches if m.proposal == candidate), None)
        hinted = score is not None
        if pair["same_effort"] and hinted:
            result.true_positives += 1
        elif pair["same_effort"]:
            result.false_negatives += 1
            result.mistakes.append(f"missed: {query.title} -> {candidate.title}")
        elif hinted:
            result.false_positives += 1
            result.mistakes.append(
                f"wrong hint ({score} %): {query.title} -> {candidate.title}"
            )
        else:
            result.true_negatives += 1
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list the mistakes")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{tempfile.mkdtemp(prefix='mc-similarity-')}/db.sqlite3"
    )
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    result = measure()
    print(result.summary())
    if args.verbose:
        print("\n".join(result.mistakes))


if __name__ == "__main__":
    main()
