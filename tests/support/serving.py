"""Stub servers (Slack's Web API, Teams' connector) serving from a background thread."""

from __future__ import annotations

import socketserver
import threading

# ``shutdown()`` returns once ``serve_forever`` next looks at its flag, every poll (0.5 s by
# default): every test with a stub waited that long in its teardown, a third of the suite's
# time. Looking every 20 ms costs a few wake-ups a second per live stub.
STOP_POLL_SECONDS = 0.02


def serve_in_background(server: socketserver.BaseServer) -> threading.Thread:
    """Serve ``server`` on a daemon thread; its ``shutdown()`` then takes a poll at most."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": STOP_POLL_SECONDS}, daemon=True
    )
    thread.start()
    return thread
