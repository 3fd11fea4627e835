import contextvars
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase

# The largest id the databases store (a signed 64-bit integer); a bigger one in an
# address is not a query SQLite can run.
MAX_ID = 2**63 - 1


class ContentSecurityPolicyMiddleware:
    """Sends the site's Content-Security-Policy with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.CONTENT_SECURITY_POLICY
        )
        return response


class HeadAsGetMiddleware:
    """Answers HEAD wherever GET is allowed: the view runs as for GET and the body is
    dropped. Views may then allow "GET" alone, and a HEAD never changes anything."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        request.method = "HEAD"
        if response.streaming:
            # The original iterator stays registered for closing (an open file).
            response.streaming_content = []
        else:
            response.headers.setdefault("Content-Length", str(len(response.content)))
            response.content = b""
        return response


class OutOfRangeIdMiddleware:
    """An id in the address beyond what the database stores names nothing: 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        if any(isinstance(v, int) and v > MAX_ID for v in [*args, *kwargs.values()]):
            raise Http404


class OneLineForbidden(logging.Filter):
    """A refused request (403) is logged as one line: it is an expected answer, and
    a traceback per refusal would bury real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


# The address the current request came to, when links follow it (development).
_request_site = contextvars.ContextVar("request_site", default="")


class SiteUrlMiddleware:
    """In development without SITE_URL, remembers the address each request came to,
    so that the links it puts in emails point where the site is actually served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.SITE_URL_FROM_REQUEST:
            return self.get_response(request)
        token = _request_site.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_site.reset(token)


def absolute_url(path: str) -> str:
    """`path` on the site: SITE_URL, or in development without it the address the
    current request came to (SITE_URL's default when there is no request)."""
    return (_request_site.get() or settings.SITE_URL) + path
