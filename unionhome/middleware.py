"""Give every request an id, echoed in the X-Request-ID response header and in every log line."""

import re
import uuid

from django.core.signals import request_finished

from unionhome.logs import request_id_var

# The proxy's id (nginx: proxy_set_header X-Request-ID $request_id) is kept when it looks like
# one; anything else a client sends is replaced, so log lines cannot be forged or flooded.
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed (request_finished), so that Django's own log line
        # for a 4xx response, written after the middleware returns, still carries it.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _forget_request_id(**kwargs):
    request_id_var.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="unionhome.forget_request_id")
