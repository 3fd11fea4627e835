"""The public catalog and the public addresses of every export (no sign-in needed:
only approved, published and retired credentials answer there); and, for the
readers of a proposal's record, its office summary and its draft's badge images."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from credentials import badge_image, catalog, catalog_hooks, exports, openbadges, public
from credentials.forms import CatalogFilterForm
from credentials.models import CatalogBadge, Issuer
from credentials.pdf import render_pdf
from metadata_templates.schema import badge_label, normalise
from metadata_templates.services import latest
from proposals.lookups import get_proposal_for_user
from proposals.models import EXPORTED_STATES, Proposal, State

CATALOG_PAGE_SIZE = 24
# Platforms and validators fetch these from other origins.
SHARED_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "public, max-age=300",
}


@require_GET
def catalog_list(request: HttpRequest) -> HttpResponse:
    listed = CatalogBadge.objects.listed()
    # One grouped query gives both the category filter's choices and, on the
    # unfiltered catalog, the number of badges found.
    per_category = dict(
        listed.order_by("category")
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    issuers = Issuer.objects.filter(
        Exists(Proposal.objects.filter(issuer=OuterRef("pk"), state=State.PUBLISHED))
    )
    form = CatalogFilterForm(
        request.GET,
        categories=[category for category in per_category if category],
        issuers=issuers,
        places=catalog_hooks.places(),
    )
    badges = listed
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            badges = badges.search(data["q"])
        if data["category"]:
            badges = badges.filter(category=data["category"])
        if data["level"]:
            badges = badges.filter(level=data["level"])
        if data["issuer"]:
            badges = badges.filter(proposal__issuer__slug=data["issuer"])
        if data["offered"]:
            badges = badges.filter(
                pk__in=catalog_hooks.badges_offered_at(data["offered"])
            )
    else:
        badges = badges.none()
    paginator = Paginator(
        catalog.for_cards(badges.order_by("category", "name", "pk")), CATALOG_PAGE_SIZE
    )
    if badges is listed:
        paginator.count = sum(per_category.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = catalog.prepare_cards(catalog_hooks.attach(page.object_list))
    return render(request, "credentials/catalog.html", {"form": form, "page": page})


def _public_credential(pk: int) -> Proposal:
    """An approved, published or retired credential. Every export names its page
    as the criteria, so the page and its summary answer from approval on, like the
    exports (the catalog lists it once published)."""
    return get_object_or_404(
        Proposal.objects.select_related("issuer", "campus"),
        pk=pk,
        state__in=EXPORTED_STATES,
    )


@require_GET
def credential(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "credentials/catalog_credential.html",
        {
            **public.credential_view(_public_credential(pk)),
            "exports": exports.EXPORTS,
        },
    )


@require_GET
def badge_export(request: HttpRequest, pk: int, key: str, name: str) -> HttpResponse:
    if name not in exports.EXPORTS:
        raise Http404
    entry = get_object_or_404(
        CatalogBadge.objects.public().select_related("proposal__issuer", "revision"),
        proposal_id=pk,
        key=key,
    )
    if entry.proposal.issuer is None:
        raise Http404
    body, content_type = exports.render_cached(entry, name)
    response = HttpResponse(body, content_type=content_type, headers=SHARED_HEADERS)
    disposition = "attachment" if name.startswith("specimen-") else "inline"
    filename = f"{slugify(entry.name) or 'badge'}-{name}"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def issuer_export(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    if name == "issuer.json":
        document = openbadges.ob2_issuer(issuer)
    elif name == "profile.json":
        document = {
            "@context": openbadges.OB3_CONTEXT,
            **openbadges.ob3_profile(issuer),
        }
    elif name == "image" and issuer.image:
        return HttpResponse(
            bytes(issuer.image), content_type=issuer.image_type, headers=SHARED_HEADERS
        )
    else:
        raise Http404(_("No such issuer document."))
    return HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False),
        content_type="application/ld+json",
        headers=SHARED_HEADERS,
    )


@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The public summary of an approved, published or retired credential."""
    proposal = _public_credential(pk)
    key = (
        f"summary:{proposal.pk}:{proposal.updated_at.timestamp()}:"
        f"{catalog_hooks.stamp(proposal.pk)}"
    )
    body = cache.get_or_set(
        key, lambda: render_pdf(proposal, internal=False), exports.CACHE_SECONDS
    )
    name = slugify(proposal.title) or "micro-credential"
    return pdf_response(body, f"{name}-summary.pdf")


def pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@login_required
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The office summary, with the internal record: only for those who may read it
    (the public summary is the catalog's)."""
    proposal = get_proposal_for_user(request, pk)
    name = slugify(proposal.title) or "micro-credential"
    # The office's file names its record, so that nobody mistakes it for the
    # public summary they may pass on.
    return pdf_response(
        render_pdf(proposal, internal=True, reader=request.user),
        f"{proposal.reference}-{name}-office-record.pdf",
    )


@require_GET
@login_required
def badge_preview(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The badge's image as the newest revision defines it, before it is public."""
    proposal = get_proposal_for_user(request, pk)
    current = latest(proposal)
    if current is None:
        raise Http404
    content = normalise(current.content)
    badge = next((b for b in content["badges"] if b["key"] == key), None)
    if badge is None:
        raise Http404
    artwork = (
        proposal.artworks.filter(badge_key=key).values_list("image", flat=True).first()
    )
    shape = badge_image.layout(
        badge["name"] or badge_label(badge),
        badge["level"],
        content["credential"].get("category", ""),
    )
    body = badge_image.png_image(
        shape,
        title=badge["name"],
        description=badge_label(badge),
        link="",
        artwork=bytes(artwork) if artwork else None,
    )
    return HttpResponse(
        body, content_type="image/png", headers={"Cache-Control": "private, no-cache"}
    )
