"""Slack's request signature, checked on the raw body before anything parses it.

Bolt verifies requests too, but only after its ``BoltRequest`` has parsed the body (form
fields, JSON nested to any depth) and read the timestamp header with ``int()``: an unsigned
request could make it recurse until it crashes, or fail on ``1e9``. Here an unsigned request
costs at most reading ``MAX_BODY_BYTES`` and one HMAC, and is refused with 401.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from slack_sdk.signature import Clock, SignatureVerifier

# Slack's largest deliveries to this app are message events carrying a message and its
# previous version (40,000 characters of text each, blocks and attachments) and modal
# submissions (up to 100 blocks, sent form-encoded, which can triple JSON's size): a few
# hundred KB at worst. 1 MiB leaves room for that and is aiohttp's own default, so an
# unsigned request never costs more than reading 1 MiB and hashing it once.
MAX_BODY_BYTES = 1024 * 1024
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"

# Unix seconds in ASCII digits, nothing else: int() would also take " 12", "1_000" and "١٢".
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class _InjectedClock(Clock):
    def __init__(self, now: Callable[[], float]):
        self._now = now

    def now(self) -> float:
        return self._now()


class SlackSignature:
    """Is a request Slack's: signed with the app's secret within the last five minutes?

    slack_sdk's ``SignatureVerifier`` does the constant-time comparison and the five-minute
    window; the headers are checked for their exact shape first, so that nothing malformed
    reaches it.
    """

    def __init__(self, signing_secret: str, *, clock: Callable[[], float] = time.time):
        self._verifier = SignatureVerifier(signing_secret, clock=_InjectedClock(clock))

    def verify(self, body: bytes, *, timestamp: str | None, signature: str | None) -> bool:
        if timestamp is None or not _TIMESTAMP.fullmatch(timestamp):
            return False
        if signature is None or not _SIGNATURE.fullmatch(signature):
            return False
        try:
            text = body.decode("utf-8")  # Slack signs UTF-8; anything else is not from Slack
        except UnicodeDecodeError:
            return False
        return self._verifier.is_valid(text, timestamp, signature)
