"""Logging set-up that keeps tokens and secrets out of every log line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

# Slack tokens have well-known prefixes; anything else secret is passed in explicitly.
_TOKEN = re.compile(r"\bx(?:ox[abpre]|app)-[0-9A-Za-z-]+")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def redact(self, message: str) -> str:
        message = _TOKEN.sub("[redacted token]", message)
        for secret in self.secrets:
            message = message.replace(secret, "[redacted]")
        return message

    def filter(self, record: logging.LogRecord) -> bool:
        original = record.getMessage()
        redacted = self.redact(original)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if redacted != original:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str = "INFO", *, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic and SQLAlchemy are chatty at INFO; their warnings still come through.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
