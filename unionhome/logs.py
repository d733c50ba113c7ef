"""Production logging: one line per event on standard error, each carrying the request id."""

import contextvars
import json
import logging
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request being served ("-" outside a request)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class OneLineFormatter(logging.Formatter):
    """A JSON object per event: a traceback stays on the event's line (as an escaped string)."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        # A refusal (403, 404) needs no traceback; an error keeps it, escaped onto its line.
        if record.exc_info and record.levelno >= logging.ERROR:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
