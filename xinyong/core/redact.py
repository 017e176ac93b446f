"""Keeps resident ID numbers out of logs (ADR 0004): Django's request log and gunicorn's access log
both print request paths, and a lookup by resident ID carries the number in its path."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

# 17 digits and a check digit or X, not inside a longer run of digits (a USCC has letters; a 20-digit
# tax number contains an ID number and is masked the same way).
_RESIDENT_ID = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9])")


def redact(text: str) -> str:
    """`110105194912310021` → `110105********0021`, anywhere in `text`."""
    return _RESIDENT_ID.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)


class RedactIdentityFilter(logging.Filter):
    """A logging filter that masks resident ID numbers in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's logger with every access-log atom (request line, path, query, environ values) masked."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}
