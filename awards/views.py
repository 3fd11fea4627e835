"""The public addresses of awards (no sign-in: verifiers and wallets fetch them)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from awards import services
from awards.models import Award, StatusList

# Verifiers fetch these from other origins. The status list is short-lived in
# caches, so that a revocation is seen within minutes.
SHARED_HEADERS = {"Access-Control-Allow-Origin": "*"}


def _json(document: dict, max_age: int) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/vc+ld+json"
    response["Cache-Control"] = f"public, max-age={max_age}"
    for header, value in SHARED_HEADERS.items():
        response[header] = value
    return response


@require_GET
def status_list(request: HttpRequest, pk: int) -> JsonResponse:
    listed = get_object_or_404(StatusList.objects.select_related("issuer"), pk=pk)
    return _json(services.status_list_credential(listed), max_age=60)


@require_GET
def credential(request: HttpRequest, uuid) -> JsonResponse:
    award = get_object_or_404(Award, uuid=uuid)
    return _json(award.credential, max_age=300)
