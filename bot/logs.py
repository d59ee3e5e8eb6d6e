"""Logging set-up that keeps tokens and secrets out of every log line."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import threading
from collections.abc import Iterable
from datetime import UTC, datetime

# Slack tokens have well-known prefixes; anything else secret is passed in explicitly.
_TOKEN = re.compile(r"\bx(?:ox[abpre]|app)-[0-9A-Za-z-]+")
# Whatever the configuration, secrets also travel in these shapes: the password of an address
# (scheme://user:password@host), libpq's password=… and bearer tokens in headers.
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*):[^\s/@]+@")
_PASSWORD_PARAMETER = re.compile(r"(?i)\b(?P<key>(?:ssl)?password)=[^\s&'\"]+")
_BEARER = re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=-]{8,}")


def hide_url_passwords(text: str) -> str:
    """``text`` with the password of every address in it replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\g<head>:***@", text)


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        # Longest first, so that a secret containing another is replaced whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def redact(self, message: str) -> str:
        message = _TOKEN.sub("[redacted token]", message)
        message = hide_url_passwords(message)
        message = _PASSWORD_PARAMETER.sub(r"\g<key>=***", message)
        message = _BEARER.sub("Bearer [redacted]", message)
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


# Logger -> the exception (a class name in its MRO) that is a failure from outside.
_OUTSIDE_FAILURES = {
    "aiohttp.server": "HttpProcessingError",
    "microsoft_agents.activity.activity": "ValidationError",
    "slack_sdk.socket_mode.aiohttp": "Exception",
}


class OneLineOutsideFailures(logging.Filter):
    """What others do wrong is one warning line each, not an error with a traceback.

    aiohttp logs a malformed HTTP request (a 10 KB request line, broken headers) at ERROR
    with a traceback, the Agents SDK logs JSON that is no Activity the same way, and Socket
    Mode every failed attempt to reach Slack: anyone can cause the first two, a network
    outage the third, and none is a bug to look up.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        expected = _OUTSIDE_FAILURES.get(record.name)
        if error is None or expected is None:
            return True
        if expected in {cls.__name__ for cls in type(error).__mro__}:
            first_line = (str(error).strip().splitlines() or [""])[0]
            record.msg, record.args = (
                "%s (%s: %s)",
                (
                    record.getMessage().splitlines()[0],
                    type(error).__name__,
                    first_line,
                ),
            )
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True


# What a request is about (the command's name, the workspace's id), set by an adapter for the
# task that serves it; worker threads started with asyncio.to_thread inherit it.
_ABOUT: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar(
    "log_about", default=()
)
# Fields a log call may pass in ``extra`` that JSON lines carry.
_EXTRA_FIELDS = ("error_id", "command", "workspace")


def tag(**about: str | None) -> None:
    """Mark the log lines of the current task (and its worker threads) with ``about``:
    ``command`` and ``workspace`` ids, never people's names or texts."""
    merged = {**dict(_ABOUT.get()), **{key: value for key, value in about.items() if value}}
    _ABOUT.set(tuple(merged.items()))


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message and what the line is about.

    Only the log message is written, never the payloads or texts of a request: the bot's log
    messages name ids and outcomes, and secrets are redacted before this formatter runs.
    """

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(dict(_ABOUT.get()))
        for name in _EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = str(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


_LIBRARIES_WITH_BODIES = ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp", "urllib3")


def configure_logging(
    level: str = "INFO", *, secrets: Iterable[str] = (), log_format: str = "text"
) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S"
            )
        )
    handler.addFilter(OneLineOutsideFailures())
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic and SQLAlchemy are chatty at INFO; their warnings still come through.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    if log_format == "json":
        # Log collectors keep lines for long and show them to many: the platform libraries'
        # DEBUG lines hold request and response bodies (people's texts), so never those.
        for name in _LIBRARIES_WITH_BODIES:
            logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    _log_uncaught_exceptions()


def _log_uncaught_exceptions() -> None:
    """Crashes go through the log too, so the secret filter sees their tracebacks."""
    crashes = logging.getLogger("chemclust_bot.crash")

    def on_crash(kind: type[BaseException], error: BaseException, traceback) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        crashes.critical("uncaught exception", exc_info=(kind, error, traceback))

    def on_thread_crash(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            where = args.thread.name if args.thread else "a thread"
            crashes.error(
                "uncaught exception in %s",
                where,
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
            )

    sys.excepthook = on_crash
    threading.excepthook = on_thread_crash
