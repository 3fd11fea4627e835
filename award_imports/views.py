"""Staff award a badge to the people of a CSV file: upload and check, confirm, follow
the progress, read the result. Only staff know these pages exist: anyone else gets a
404 at an import's address, and a 403 at the list and the upload form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import is_mc_staff, require
from award_imports import csvfile, services
from award_imports.forms import UploadForm
from award_imports.models import AwardImport, Status

# The rows an import's page lists; the counts cover them all.
ROWS_SHOWN = 500


def _award_import(request: HttpRequest, pk: int) -> AwardImport:
    if not is_mc_staff(request.user):
        raise Http404
    return get_object_or_404(
        AwardImport.objects.select_related("badge__proposal", "uploaded_by"), pk=pk
    )


def _posted_import(request: HttpRequest, pk: int) -> AwardImport | None:
    """The import a staff form was posted for; None when it was discarded since
    (another tab, another person), which the list then says."""
    if not is_mc_staff(request.user):
        raise Http404
    found = AwardImport.objects.select_related("badge__proposal").filter(pk=pk).first()
    if found is None:
        messages.info(
            request,
            _(
                "That file is no longer here: it was discarded, so nothing was issued "
                "from it."
            ),
        )
    return found


@require_GET
@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    require(is_mc_staff(request.user))
    imports = list(AwardImport.objects.for_list()[:50])
    for award_import in imports:
        # A file checked before its credential was retired waits for nothing.
        award_import.not_awardable = (
            services.not_awardable(award_import.badge)
            if award_import.status == Status.PREVIEW
            else ""
        )
    return render(request, "award_imports/import_list.html", {"imports": imports})


@require_http_methods(["GET", "POST"])
@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    require(is_mc_staff(request.user))
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"badge": request.GET.get("badge")},
    )
    if request.method == "POST" and form.is_valid():
        award_import = services.create(
            form.cleaned_data["badge"],
            by=request.user,
            file_name=form.cleaned_data["file"].name,
            rows=form.reading.rows,
        )
        return redirect(award_import)
    return render(
        request,
        "award_imports/import_form.html",
        {"form": form, "columns": csvfile.COLUMNS, "max_rows": csvfile.MAX_ROWS},
    )


@require_GET
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    award_import = _award_import(request, pk)
    return render(
        request,
        "award_imports/import_detail.html",
        {
            "award_import": award_import,
            "rows": award_import.rows.select_related("award")[:ROWS_SHOWN],
            "progress": services.progress(award_import),
            "stalled": award_import.stalled(),
            "not_awardable": services.not_awardable(award_import.badge),
        },
    )


@require_GET
@login_required
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    award_import = _award_import(request, pk)
    return JsonResponse(services.progress(award_import))


@require_POST
@login_required
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    if (award_import := _posted_import(request, pk)) is None:
        return redirect("award_imports:list")
    try:
        confirmed = services.confirm(award_import, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(award_import)
    if confirmed:
        messages.success(
            request,
            ngettext(
                "Issuing %(count)d award in the background; this page follows it.",
                "Issuing %(count)d awards in the background; this page follows it.",
                award_import.total,
            )
            % {"count": award_import.total},
        )
    else:
        messages.info(request, _("This file was confirmed already; nothing changed."))
    return redirect(award_import)


@require_POST
@login_required
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    if (award_import := _posted_import(request, pk)) is None:
        return redirect("award_imports:list")
    if services.discard(award_import, by=request.user):
        messages.success(
            request,
            _("%(file)s is discarded; nobody was awarded anything from it.")
            % {"file": award_import.file_name},
        )
        return redirect("award_imports:list")
    messages.info(
        request, _("This file was confirmed already, so it stays; nothing changed.")
    )
    return redirect(award_import)


@require_POST
@login_required
def import_resume(request: HttpRequest, pk: int) -> HttpResponse:
    if (award_import := _posted_import(request, pk)) is None:
        return redirect("award_imports:list")
    if services.resume(award_import, by=request.user):
        messages.success(request, _("Resumed: the rows not yet issued are queued."))
    else:
        messages.info(request, _("This import is not stopped; nothing changed."))
    return redirect(award_import)
