"""Slack's signature, checked on the raw body with an injected clock (bot.verification)."""

from __future__ import annotations

import pytest

from bot.verification import SlackSignature
from tests.support.raw_http import signature
from tests.support.slack_requests import SIGNING_SECRET, slash_command


def test_a_signature_is_valid_for_five_minutes_by_the_injected_clock():
    body = slash_command("/benchmark", "Limburg").encode()
    signed_at = 1_700_000_000
    now = [float(signed_at)]
    check = SlackSignature(SIGNING_SECRET, clock=lambda: now[0])
    headers = {"timestamp": str(signed_at), "signature": signature(str(signed_at), body)}

    assert check.verify(body, **headers)
    now[0] = signed_at + 300
    assert check.verify(body, **headers)
    now[0] = signed_at + 301
    assert not check.verify(body, **headers)
    now[0] = signed_at - 301  # from the future
    assert not check.verify(body, **headers)
    now[0] = signed_at
    assert not check.verify(body + b"&text=x", **headers)
    assert not check.verify(body, timestamp=headers["timestamp"], signature=None)
    assert not SlackSignature("another-secret-0123", clock=lambda: now[0]).verify(body, **headers)


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "", "1e9", "123.5", "-1", "+1700000000", "1_700_000_000", "١٧٠٠٠٠٠٠٠٠", "9" * 40],
)
def test_a_timestamp_that_is_not_plain_digits_is_refused(timestamp):
    # Each of these is signed correctly over its own text: only the shape is wrong.
    body = b"command=%2Fbenchmark"
    check = SlackSignature(SIGNING_SECRET, clock=lambda: 1_700_000_000.0)
    assert not check.verify(body, timestamp=timestamp, signature=signature(timestamp, body))


@pytest.mark.parametrize("forged", ["v0=" + "g" * 64, "v1=" + "0" * 64, "v0=abc", "é" * 67, ""])
def test_a_signature_of_the_wrong_shape_is_refused(forged):
    check = SlackSignature(SIGNING_SECRET, clock=lambda: 1_700_000_000.0)
    assert not check.verify(b"x=1", timestamp="1700000000", signature=forged)


def test_a_body_that_is_not_utf8_is_refused():
    body = b"payload=\xff\xfe"
    check = SlackSignature(SIGNING_SECRET, clock=lambda: 1_700_000_000.0)
    assert not check.verify(body, timestamp="1700000000", signature=signature("1700000000", body))
