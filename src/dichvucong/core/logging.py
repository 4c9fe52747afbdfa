"""JSON log lines for production (one object per line, for the province's log collector).

Every line written while a request is served carries its `request_id` (core.middleware sets
it); the request's own line adds method, path (never the query string, which may hold an ID
number), status, duration and the user's id (an id only: no name, phone or ID number).
"""

import contextvars
import json
import logging

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)

# Attributes a log call may pass with `extra=` that become top-level JSON fields.
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "") or current_request_id.get()
        if request_id:
            payload["request_id"] = request_id
        for field in REQUEST_FIELDS[1:]:
            if hasattr(record, field):
                payload[field] = getattr(record, field)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)
