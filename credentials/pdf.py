"""The PDF summaries of a proposal (WeasyPrint), in the design's two variants: the
public one (the approved draft's learner- and employer-facing content) and the office
one, which adds the internal record (team, meetings, employer input, revision and
review history, the committee's tally and decision). Which is which is the policy's
call. WeasyPrint fetches nothing but the project's own static files."""

from __future__ import annotations

import base64
import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from approvals.services import round_tally
from config.middleware import absolute_url
from credentials import badge_image, public
from credentials.models import Issuer
from metadata_templates.models import CommentEvent
from metadata_templates.notes import content_sections, label_comments
from metadata_templates.schema import badge_label, normalise
from proposals import policy
from proposals.models import Proposal

# The documents' base address; only static files under it resolve.
BASE_URL = "https://pdf.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
PNG_DATA = "data:image/png;base64,"
PNG_HEADERS = {"Content-Type": "image/png"}
MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
# The summary prints the newest LIST_LIMIT entries of each list and the first EXCERPT
# characters of each note, so its render time is bounded whatever a team records
# (bench/largest_pdf.py); the proposal's pages hold the rest.
LIST_LIMIT = 8
EXCERPT = 400
# Replies printed under each comment (its newest).
REPLY_LIMIT = 4
# Team members and meeting attendees printed, and the characters of each name.
PEOPLE_LIMIT = 20
NAME_EXCERPT = 60


class StaticOnlyFetcher(URLFetcher):
    """Refuses every URL but the project's own static files: no network, no file
    system, whatever a template or a user's text asks for."""

    def fetch(self, url, headers=None):
        # Uploaded badge images travel inside the page as PNG data, never as files.
        if url.startswith(PNG_DATA):
            return URLFetcherResponse(
                "data:", base64.b64decode(url.removeprefix(PNG_DATA)), PNG_HEADERS
            )
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"Refused to fetch {url!r}: not a static file.")
        relative = posixpath.normpath(url.removeprefix(STATIC_PREFIX).split("?")[0])
        if relative.startswith(("..", "/")) or Path(relative).suffix not in MEDIA_TYPES:
            raise ValueError(f"Refused to fetch {url!r}.")
        found = finders.find(relative) or _collected(relative)
        if not found:
            raise ValueError(f"No static file {relative!r}.")
        return URLFetcherResponse(
            url,
            Path(found).read_bytes(),
            {"Content-Type": MEDIA_TYPES[Path(relative).suffix]},
        )


def _collected(relative: str) -> str | None:
    path = Path(settings.STATIC_ROOT) / relative
    return str(path) if path.is_file() else None


def _inline_svg(
    name: str,
    level: str,
    category: str,
    key: str,
    artwork: bytes | None,
    logo: bytes | None,
) -> str:
    """A badge image to place in the page (our own drawing: every text in it is
    escaped by its template), as the exports draw it."""
    logo = None if artwork else logo
    shape = badge_image.layout(name, level, category, seal=bool(logo))
    document = badge_image.svg(
        shape,
        title=name,
        description=name,
        link="",
        element_id=f"badge-{key}",
        artwork=artwork,
        logo=logo,
    )
    return mark_safe(document.decode().split("?>", 1)[1])


def _logo(proposal: Proposal) -> bytes | None:
    """The logo of the issuer that issues (or, before approval, would issue) it."""
    issuer = proposal.issuer or Issuer.default()
    return bytes(issuer.image) if issuer and issuer.image else None


def _badges(proposal: Proposal, content: dict, sections: list[dict]) -> list[dict]:
    artworks = dict(proposal.artworks.values_list("badge_key", "image"))
    logo = _logo(proposal)
    return [
        {
            "section": section,
            "image": _inline_svg(
                badge["name"] or badge_label(badge),
                badge["level"],
                content["credential"].get("category", ""),
                badge["key"],
                bytes(artworks[badge["key"]]) if badge["key"] in artworks else None,
                logo,
            ),
        }
        for section, badge in zip(sections[1:], content["badges"], strict=True)
    ]


def public_context(proposal: Proposal) -> dict:
    """What the public summary shows: the credential page's content
    (public.credential_view: the approved draft's public fields, nothing of the
    internal record), each badge drawn for the cover's pathway and for its page."""
    view = public.credential_view(proposal)
    artworks = dict(proposal.artworks.values_list("badge_key", "image"))
    logo = _logo(proposal)

    def drawn(badge: public.PublicBadge, prefix: str) -> str:
        entry = badge.entry
        artwork = artworks.get(entry.key)
        return _inline_svg(
            entry.name,
            entry.level,
            entry.category,
            f"{prefix}{entry.key}",
            bytes(artwork) if artwork else None,
            logo,
        )

    return {
        **view,
        "issuer": proposal.issuer or Issuer.default(),
        "badges": [
            {"badge": badge, "image": drawn(badge, "")} for badge in view["badges"]
        ],
        "stack": [
            {"badge": badge, "image": drawn(badge, "cover-")} for badge in view["stack"]
        ],
        "page_url": absolute_url(reverse("catalog:credential", args=[proposal.pk])),
        "generated_at": timezone.now(),
    }


def _newest(queryset: QuerySet, *order: str) -> tuple[list, int]:
    """The newest LIST_LIMIT rows, oldest first, and how many older ones are left."""
    rows = list(queryset.order_by(*(f"-{key}" for key in order))[:LIST_LIMIT])[::-1]
    return rows, queryset.count() - len(rows) if len(rows) == LIST_LIMIT else 0


def office_context(proposal: Proposal, reader=None) -> dict:
    """The office summary: the newest content and the internal record (its newest
    LIST_LIMIT entries of each list), for a reader of that record (None: a server
    operator's command), an open round's tally only for those who may see its
    votes."""
    if reader is not None and not policy.can_view_record(proposal, reader):
        raise PermissionDenied
    drafts, drafts_left = _newest(
        proposal.drafts.select_related("revision", "submitted_by").prefetch_related(
            "comments__author",
            "answered_comments",
            Prefetch(
                "comments__events",
                queryset=CommentEvent.objects.filter(
                    kind=CommentEvent.Kind.REPLY
                ).select_related("author"),
                to_attr="replies",
            ),
        ),
        "number",
    )
    revision = (
        drafts[-1].revision
        if drafts
        else proposal.revisions.order_by("-number").first()
    )
    content = normalise(revision.content) if revision else None
    sections = content_sections(content) if content else []
    written = sorted(
        (c for draft in drafts for c in draft.comments.all()),
        key=lambda c: (c.created_at, c.pk),
    )
    printed = {c.pk for c in written[-LIST_LIMIT:]}
    if content:
        label_comments(written, content)
    for comment in written:
        comment.replies_left = max(0, len(comment.replies) - REPLY_LIMIT)
        comment.replies = comment.replies[-REPLY_LIMIT:]
    review_comments = [
        (draft, kept)
        for draft in drafts
        if (kept := [c for c in draft.comments.all() if c.pk in printed])
    ]
    team = proposal.team_or_none()
    rounds, rounds_left = _newest(
        proposal.rounds.select_related("draft", "closed_by", "proposal"),
        "opened_at",
        "pk",
    )
    meetings, meetings_left = (
        _newest(team.meetings.prefetch_related("attendees__user"), "held_on", "pk")
        if team
        else ([], 0)
    )
    inputs, inputs_left = (
        _newest(team.employer_inputs.all(), "given_on", "pk") if team else ([], 0)
    )
    members = (
        list(team.memberships.for_page().select_related("user", "campus"))
        if team
        else []
    )
    history, history_left = _newest(
        proposal.transitions.select_related("actor"), "created_at", "pk"
    )
    attachments, attachments_left = _newest(
        proposal.attachments.listing().prefetch_related("drafts"), "uploaded_at", "pk"
    )
    return {
        "proposal": proposal,
        "issuer": proposal.issuer or Issuer.default(),
        "revision": revision,
        "credential": sections[0] if sections else None,
        "badges": _badges(proposal, content, sections) if content else [],
        "team": team,
        "members": members[:PEOPLE_LIMIT],
        "meetings": meetings,
        "employer_inputs": inputs,
        "drafts": drafts,
        "revision_count": proposal.revisions.count(),
        "rounds": [
            (
                round_,
                round_tally(round_)
                if reader is None or policy.can_see_votes(round_, reader)
                else None,
            )
            for round_ in rounds
        ],
        "history": history,
        "review_comments": review_comments,
        "attachments": attachments,
        "left_out": {
            "comments": len(written) - len(printed),
            "members": max(0, len(members) - PEOPLE_LIMIT),
            "meetings": meetings_left,
            "employer_inputs": inputs_left,
            "drafts": drafts_left,
            "history": history_left,
            "rounds": rounds_left,
            "attachments": attachments_left,
        },
        "excerpt": EXCERPT,
        "name_excerpt": NAME_EXCERPT,
        "people_limit": PEOPLE_LIMIT,
        "people_slice": f":{PEOPLE_LIMIT}",
        "generated_at": timezone.now(),
        "site_url": absolute_url(""),
    }


def render_pdf(proposal: Proposal, *, internal: bool, reader=None) -> bytes:
    """The public summary, or the office one (`internal`) as `reader` may see it;
    PermissionDenied if the policy does not let them read the record."""
    if internal:
        html = render_to_string(
            "credentials/summary_pdf.html", office_context(proposal, reader)
        )
    else:
        html = render_to_string(
            "credentials/public_summary_pdf.html", public_context(proposal)
        )
    return HTML(
        string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()
    ).write_pdf(pdf_tags=True)
