"""One log line per request (production profile, settings/prod.py): request id, method, path,
status, duration and user id, written by core.logging.JsonFormatter as JSON."""

import logging
import re
import time
import uuid

from .logging import current_request_id
from .templatetags.chrome import is_anonymous

logger = logging.getLogger("dichvucong.requests")

# A request id from the load balancer is kept when it looks like one (no log injection).
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
# Load balancers ask these every few seconds: a passing probe is logged at DEBUG only.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


class RequestLogMiddleware:
    """Outermost middleware: gives the request an id (or keeps the proxy's X-Request-ID),
    returns it in X-Request-ID, and logs the request when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GOOD_REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            passing_probe = request.path in PROBE_PATHS and response.status_code == 200
            logger.log(
                logging.DEBUG if passing_probe else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


def _user_id(request) -> int | None:
    """The logged-in user's id, None for an anonymous visitor (found without reading the
    session when there is no session cookie: chrome.is_anonymous)."""
    if getattr(request, "user", None) is None or is_anonymous(request):
        return None
    return request.user.pk
