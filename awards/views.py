"""Award pages. Public, no sign-in (verifiers, wallets and employers fetch them):
the issuer's DID document, the status lists, each award's files and verification
page, and the check of an uploaded badge file. For the recipient, the claim page
their emailed link opens. For staff: awarding a published badge, the awards of a
badge and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import is_mc_staff, require
from awards import batch, documents, hooks, services, verification
from awards.forms import AwardForm, RevokeForm, VerifyFileForm
from awards.models import Award, Source, StatusList
from credentials import exports, openbadges
from credentials.models import CatalogBadge, Issuer
from credentials.proofs import keys
from proposals.models import State

# Verifiers and wallets fetch these from other origins.
SHARED = {"Access-Control-Allow-Origin": "*"}
# A revocation shows in the status list within a minute of caches.
STATUS_MAX_AGE = 60
FILE_MAX_AGE = 300
AWARDS_PAGE_SIZE = 50
# The files of an award, by the name in their address.
FILES = {
    "credential.json": "application/vc+ld+json",
    "assertion.json": "application/ld+json",
    **{
        name: exports.EXPORTS[f"specimen-{name}"].content_type for name in exports.BAKED
    },
}


def _json(document: dict, content_type: str, max_age: int, status=200):
    response = JsonResponse(
        document, status=status, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Type"] = content_type
    response["Cache-Control"] = f"public, max-age={max_age}"
    for header, value in SHARED.items():
        response[header] = value
    return response


@require_GET
def did_document(request: HttpRequest, slug: str) -> JsonResponse:
    """The issuer's did:web document: its signing key and every retired one."""
    issuer = get_object_or_404(Issuer, slug=slug)
    try:
        did = keys.issuer_did("issuers", issuer.slug)
        document = keys.did_document(did)
    except keys.UnusableKey as error:
        # Issuers are did:key (CREDENTIAL_DID_METHOD=key): there is no document.
        raise Http404 from error
    return _json(document, "application/did+json", FILE_MAX_AGE)


@require_GET
def status_list(request: HttpRequest, list_id: int) -> JsonResponse:
    listed = get_object_or_404(StatusList.objects.select_related("issuer"), pk=list_id)
    try:
        document = services.status_list_credential(listed)
    except keys.UnusableKey as error:
        raise Http404 from error
    return _json(document, "application/vc+ld+json", STATUS_MAX_AGE)


def _public_award(uuid) -> Award:
    return get_object_or_404(
        Award.objects.select_related("badge__proposal__issuer"), uuid=uuid
    )


def _baked(award: Award, name: str) -> bytes:
    """The badge image with the award baked in, kept a few minutes: drawing and
    baking take a few hundred milliseconds."""
    document = (
        award.credential if name.startswith("ob3") else documents.assertion(award)
    )
    key = f"award:{award.uuid}:{name}:{award.badge.revision_id}"
    return cache.get_or_set(
        key,
        lambda: exports.baked_image(award.badge, name, document),
        exports.CACHE_SECONDS,
    )


@require_GET
def award_file(request: HttpRequest, uuid, name: str) -> HttpResponse:
    """The award's signed credential (the record, revoked or not: its status list
    says which), its hosted OB 2.0 Assertion (410 Gone once revoked, as OB 2.0
    asks) and its baked images (not handed out once revoked)."""
    if name not in FILES:
        raise Http404
    award = _public_award(uuid)
    if name == "credential.json":
        response = _json(award.credential, FILES[name], FILE_MAX_AGE)
    elif name == "assertion.json":
        status = 410 if award.is_revoked else 200
        response = _json(documents.assertion(award), FILES[name], FILE_MAX_AGE, status)
    elif award.is_revoked:
        return HttpResponse(_("This award was revoked."), status=410)
    else:
        response = HttpResponse(_baked(award, name), content_type=FILES[name])
        response["Cache-Control"] = f"public, max-age={FILE_MAX_AGE}"
        for header, value in SHARED.items():
            response[header] = value
    # Saved as e.g. "data-literacy-ob2.png": the badge's name and a real extension.
    filename = f"{slugify(award.badge.name) or 'badge'}-{name}"
    response["Content-Disposition"] = (
        f'attachment; filename="{filename}"'
        if request.GET.get("download")
        else "inline"
    )
    return response


@require_GET
def verify(request: HttpRequest, uuid) -> HttpResponse:
    award = _public_award(uuid)
    return render(
        request,
        "awards/verify.html",
        {"award": award, "verdict": verification.check(award.credential)},
    )


@require_http_methods(["GET", "POST"])
def verify_file(request: HttpRequest) -> HttpResponse:
    """Anyone checks a badge file they were given (JSON, or a baked image)."""
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verification.check_file(form.cleaned_data["file"].read())
        if verdict is None:
            form.add_error(
                "file",
                _(
                    "No Open Badges credential or assertion was found in this file. "
                    "Upload the badge's JSON file or its PNG or SVG image with the "
                    "badge baked in."
                ),
            )
    return render(
        request, "awards/verify_file.html", {"form": form, "verdict": verdict}
    )


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The recipient's page, from the emailed link: the badge to download, to add
    to LinkedIn, and to accept."""
    award = get_object_or_404(
        Award.objects.select_related("badge__proposal__issuer"),
        claim_token_hash=services.token_hash(token),
    )
    if request.method == "POST":
        if not award.is_revoked:
            services.claim(award, request.user)
            messages.success(request, _("The badge is yours: download it below."))
        return redirect(request.path)
    return render(
        request,
        "awards/claim.html",
        {
            "award": award,
            "verdict": verification.check(award.credential),
            "linkedin": documents.linkedin_url(award),
            "public_url": openbadges.absolute(award.get_absolute_url()),
            "files": [
                ("credential.json", _("Open Badges 3.0 credential (JSON)")),
                ("ob3.png", _("Badge image, Open Badges 3.0 (PNG)")),
                ("ob3.svg", _("Badge image, Open Badges 3.0 (SVG)")),
                ("ob2.png", _("Badge image, Open Badges 2.0 (PNG)")),
                ("ob2.svg", _("Badge image, Open Badges 2.0 (SVG)")),
            ],
        },
    )


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Staff: the badges of published credentials, with how many were awarded."""
    require(is_mc_staff(request.user))
    badges = (
        CatalogBadge.objects.listed()
        .select_related("proposal")
        .annotate(
            awarded=Count("awards"),
            revoked=Count("awards", filter=Q(awards__revoked_at__isnull=False)),
        )
        .order_by("proposal__title", "position", "pk")
    )
    return render(request, "awards/index.html", {"badges": badges})


@require_http_methods(["GET", "POST"])
@login_required
def badge_awards(request: HttpRequest, badge_id: int) -> HttpResponse:
    """Staff: award a badge to one or several people, and its awards so far."""
    require(is_mc_staff(request.user))
    badge = get_object_or_404(
        CatalogBadge.objects.public().select_related("proposal__issuer"), pk=badge_id
    )
    own_path = hooks.own_path(badge)
    open_for_awards = badge.proposal.state == State.PUBLISHED and own_path is None
    form = AwardForm(request.POST or None) if open_for_awards else None
    if request.method == "POST":
        if own_path:
            messages.error(request, own_path.why)
            return redirect(own_path.url)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                awards = batch.issue_form(
                    badge, form.cleaned_data, by=request.user, source=Source.MANUAL
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Awarded to %(count)d people; each was sent a claim link.")
                    % {"count": len(awards)},
                )
                return redirect(request.path)
    page = Paginator(
        badge.awards.select_related("awarded_by", "revoked_by").order_by(
            "-created_at", "-pk"
        ),
        AWARDS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/badge_awards.html",
        {"badge": badge, "form": form, "own_path": own_path, "page": page},
    )


@require_http_methods(["GET", "POST"])
@login_required
def revoke(request: HttpRequest, uuid) -> HttpResponse:
    """Staff: revoke an award, with the reason its recipient and verifiers see, and
    the awards resting on it if staff say so."""
    require(is_mc_staff(request.user))
    award = _public_award(uuid)
    resting = [] if award.is_revoked else hooks.awards_resting_on(award)
    form = RevokeForm(request.POST or None, resting=resting)
    if request.method == "POST" and form.is_valid():
        also = form.cleaned_data.get("also_resting", False)
        try:
            services.revoke(
                award, by=request.user, reason=form.cleaned_data["reason"], resting=also
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The award to %(name)s is revoked.") % {"name": award.recipient_name}
                + (
                    " "
                    + _("So are the awards resting on it: %(badges)s.")
                    % {"badges": ", ".join(r.badge.name for r in resting)}
                    if also and resting
                    else ""
                ),
            )
            return redirect("awards:badge", award.badge_id)
    return render(
        request,
        "awards/revoke.html",
        {"award": award, "form": form, "resting": resting},
    )
