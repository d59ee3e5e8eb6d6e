"""HTTP requests no well-behaved client sends: repeated headers, raw bytes, chunked bodies."""

from __future__ import annotations

import http.client
from collections.abc import Iterable
from urllib.parse import urlsplit

from slack_sdk.signature import SignatureVerifier

from tests.support.slack_requests import SIGNING_SECRET, Response


def signature(timestamp: str, body: bytes | str, secret: str = SIGNING_SECRET) -> str:
    """Slack's signature over ``body`` for any timestamp text, well-formed or not."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=text)


def send(
    url: str,
    body: bytes | Iterable[bytes],
    headers: list[tuple[str, str]],
    *,
    method: str = "POST",
) -> Response:
    """``headers`` as a list, so a header may come twice; an iterable body goes chunked."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        chunked = not isinstance(body, bytes)
        connection.putrequest(method, parts.path + (f"?{parts.query}" if parts.query else ""))
        for name, value in headers:
            connection.putheader(name, value)
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
        else:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        try:
            if chunked:
                for chunk in body:
                    connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                connection.send(b"0\r\n\r\n")
            else:
                connection.send(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before reading everything: fine
        answer = connection.getresponse()
        text = answer.read().decode("utf-8", "replace")
        return Response(answer.status, dict(answer.getheaders()), text, 0.0)
    finally:
        connection.close()
