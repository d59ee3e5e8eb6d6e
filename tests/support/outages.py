"""The database going away and coming back, for the bot under test only.

PostgreSQL: a TCP proxy in front of the server that a test cuts and restores, so that the
bot's connections break and new ones fail while the server other tests share runs on.

SQLite: the file is the bot's own and stays open in its connection pool, so it does not go
away while the process runs (a deleted or unreadable file is still read through the open
handles). What does happen is another process holding the write lock longer than the bot's
busy timeout (an import, a backup, a stuck tool): then every write fails with "database is
locked", while reads go on. That is the SQLite outage here, with a short busy timeout in the
bot's address (``?timeout=``) so that the test does not wait 30 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading

from sqlalchemy.engine import make_url

# The bot under test gives up on a locked SQLite database after this many seconds.
SQLITE_BUSY_SECONDS = 0.2


def outage_for(database_url: str) -> DatabaseProxy | SqliteWriteLock:
    """The way the given database goes away: see the module's docstring."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return SqliteWriteLock(database_url)
    return DatabaseProxy(database_url)


class SqliteWriteLock:
    """Another process's write transaction on the bot's SQLite file, held until ``restore``."""

    reads_fail = False

    def __init__(self, database_url: str):
        self.path = make_url(database_url).database or ""
        self.url = f"{database_url}?timeout={SQLITE_BUSY_SECONDS}"
        self._holder: sqlite3.Connection | None = None

    def cut(self) -> None:
        self._holder = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        self._holder.execute("BEGIN IMMEDIATE")

    def restore(self) -> None:
        if self._holder is not None:
            self._holder.execute("ROLLBACK")
            self._holder.close()
            self._holder = None

    def close(self) -> None:
        self.restore()


class DatabaseProxy:
    """Forwards 127.0.0.1:<port> to the PostgreSQL server's host and port.

    ``cut()`` closes every forwarded connection and refuses new ones (they are accepted and
    closed at once, as by a server that is going down); ``restore()`` forwards again.
    """

    reads_fail = True

    def __init__(self, database_url: str):
        url = make_url(database_url)
        self.target = (url.host or "127.0.0.1", url.port or 5432)
        self._url = url
        self._cut = False
        self._links: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.port = self._call(self._start())

    @property
    def url(self) -> str:
        """The database address, through the proxy."""
        proxied = self._url.set(host="127.0.0.1", port=self.port)
        return proxied.render_as_string(hide_password=False)

    def cut(self) -> None:
        self._call(self._set_cut(True))

    def restore(self) -> None:
        self._call(self._set_cut(False))

    def close(self) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _call(self, work):
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(10)

    async def _start(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    async def _set_cut(self, cut: bool) -> None:
        self._cut = cut
        if cut:
            for writer in list(self._links):
                writer.close()
            self._links.clear()

    async def _close(self) -> None:
        await self._set_cut(True)
        self._server.close()
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self._cut:
            writer.close()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._links.update({writer, upstream_writer})
        await asyncio.gather(
            self._pump(reader, upstream_writer),
            self._pump(upstream_reader, writer),
        )

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._links.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()
