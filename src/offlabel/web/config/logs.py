"""Log records as one JSON object a line, for log collectors (the request log uses it)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    """``time``, ``level``, ``logger``, ``message``, the record's ``http`` fields, any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "http", None)
        if isinstance(fields, dict):
            data.update(fields)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


def logging_config(*, level: str, request_level: str) -> dict[str, Any]:
    """``LOGGING``: plain lines at ``level``; the request log as JSON at ``request_level``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "offlabel.web.config.logs.JsonFormatter"}},
        "handlers": {
            "console": {"class": "logging.StreamHandler"},
            "requests": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            },
        },
        "loggers": {
            "offlabel.request": {
                "handlers": ["requests"],
                "level": request_level,
                "propagate": False,
            },
        },
        "root": {"handlers": ["console"], "level": level},
    }
