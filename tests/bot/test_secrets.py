"""No secret in a repr, a log line, a traceback or an error message: the database password
(also percent-encoded or as ?password=), Slack's tokens and signing secret, Teams' password,
and any password in an address."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

import pytest
from sqlalchemy import create_engine, text

from bot.logs import RedactSecrets, configure_logging
from bot.settings import Settings
from tests.support.outages import outage_for
from tests.support.processes import BotProcess, free_port
from tests.support.slack_requests import post_signed, slash_command

DB_PASSWORD = "p@ss-Word-0042"  # written %40 in an address
ENCODED = "p%40ss-Word-0042"
ENVIRONMENT = {
    "DATABASE_URL": f"postgres://chemclust:{ENCODED}@db.example:5432/chemclust",
    "SLACK_BOT_TOKEN": "xoxb-1111-2222-bottoken",
    "SLACK_SIGNING_SECRET": "signing-secret-4242",
    "SLACK_APP_TOKEN": "xapp-1-A1-apptoken",
    "SLACK_API_URL": "https://proxyuser:proxy-pass-77@slack.proxy.example/api/",
    "TEAMS_APP_ID": "11111111-2222-3333-4444-555555555555",
    "TEAMS_APP_PASSWORD": "teams-client-secret-99",
    "TEAMS_TENANT_ID": "tenant",
}
SECRETS = [
    DB_PASSWORD,
    ENCODED,
    "xoxb-1111-2222-bottoken",
    "signing-secret-4242",
    "xapp-1-A1-apptoken",
    "proxy-pass-77",
    "teams-client-secret-99",
]


def leaked(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def redactor(settings: Settings) -> RedactSecrets:
    return RedactSecrets(settings.secrets())


def test_settings_show_no_secret_in_their_repr_but_know_them_all():
    settings = Settings.from_env(ENVIRONMENT)
    shown = repr(settings)
    assert leaked(shown) == []
    assert "postgresql+psycopg://chemclust:***@db.example:5432/chemclust" in shown
    assert "https://proxyuser:***@slack.proxy.example/api/" in shown
    assert {DB_PASSWORD, ENCODED} <= set(settings.secrets())
    query = Settings.from_env({"DATABASE_URL": "postgresql://u@h/db?password=Query-Secret-1"})
    assert "Query-Secret-1" not in repr(query)
    assert "Query-Secret-1" in query.secrets()


@pytest.mark.parametrize(
    "message",
    [
        "connecting to postgresql+psycopg://chemclust:{encoded}@db.example/chemclust",
        "could not connect: host=db.example user=chemclust password={password} dbname=x",
        "dsn postgresql://chemclust@db.example/chemclust?sslmode=require&password={password}",
        "header Authorization: Bearer {token}",
        "the password is {password}",
        "a proxy at https://proxyuser:proxy-pass-77@slack.proxy.example/api/ failed",
        "sending with {token} and signing with signing-secret-4242 via xapp-1-A1-apptoken",
        "msal said teams-client-secret-99 was wrong",
    ],
)
def test_log_lines_and_their_tracebacks_are_redacted(message):
    said = message.format(password=DB_PASSWORD, encoded=ENCODED, token="xoxb-1111-2222-bottoken")
    record_filter = redactor(Settings.from_env(ENVIRONMENT))
    try:
        raise RuntimeError(said)
    except RuntimeError as error:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed: %s", (said,), (RuntimeError, error, None)
        )
        record.exc_info = (RuntimeError, error, error.__traceback__)
    record_filter.filter(record)
    assert leaked(record.getMessage()) == []
    assert leaked(record.exc_text or "") == []


def test_sqlalchemys_own_error_text_and_traceback_carry_no_password(caplog):
    # A real failure to connect, with the password in the address, logged with its traceback.
    url = f"postgresql+psycopg://chemclust:{ENCODED}@127.0.0.1:{free_port()}/chemclust"
    settings = Settings.from_env({**ENVIRONMENT, "DATABASE_URL": url})
    engine = create_engine(settings.database_url)
    log = logging.getLogger("test.secrets")
    log.addFilter(redactor(settings))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        raw = "".join(traceback.format_exception(error)) + repr(error) + repr(engine)
        with caplog.at_level(logging.ERROR, logger="test.secrets"):
            log.exception("database at %s failed: %r (%s)", url, error, raw)
    finally:
        engine.dispose()
        log.filters.clear()
    (record,) = caplog.records
    assert leaked(record.getMessage()) == []
    assert leaked(record.exc_text or "") == []


def test_an_uncaught_exception_goes_through_the_filter_too(capfd):
    # configure_logging routes crashes (main thread and others) through the log and its filter.
    root = logging.getLogger()
    saved = (sys.excepthook, threading.excepthook, root.handlers[:], root.level)
    said = f"lost teams-client-secret-99 and postgresql://u:{ENCODED}@db/x"
    try:
        configure_logging("INFO", secrets=["teams-client-secret-99"])
        try:
            raise RuntimeError(said)
        except RuntimeError as error:
            sys.excepthook(RuntimeError, error, error.__traceback__)

        def crash() -> None:
            raise RuntimeError(said)

        thread = threading.Thread(target=crash, name="worker")
        thread.start()
        thread.join()
    finally:
        sys.excepthook, threading.excepthook = saved[0], saved[1]
        root.handlers[:] = saved[2]
        root.setLevel(saved[3])
    err = capfd.readouterr().err
    assert err.count("Traceback") == 2
    assert "uncaught exception in worker" in err
    assert leaked(err) == []


@pytest.mark.postgresql
def test_a_running_process_logs_no_password_even_at_debug_while_the_database_fails(
    postgresql_databases, mock_slack, tmp_path
):
    # PostgreSQL here trusts local connections, so any password works: the bot is given one
    # and must never write it, whatever happens (start, commands, an outage, a stop).
    url = postgresql_databases.create()
    proxy = outage_for(url)
    try:
        with_password = proxy.url.replace(
            "postgresql+psycopg://postgres@", "postgresql://postgres:" + ENCODED + "@"
        )
        bot = BotProcess(
            database_url=with_password,
            slack_api_url=mock_slack.api_url,
            log_path=tmp_path / "bot.log",
            LOG_LEVEL="DEBUG",
        ).start()
        try:
            assert (
                post_signed(bot.slack_url, slash_command("/chemclust", "join Limburg")).status
                == 200
            )
            proxy.cut()
            assert post_signed(bot.slack_url, slash_command("/chemclust", "join NRW")).status == 200
            proxy.restore()
        finally:
            assert bot.terminate() == 0
        log = bot.log_path.read_text()
    finally:
        proxy.close()
        postgresql_databases.drop(url)
    assert "database unavailable during /chemclust" in log
    assert leaked(log) == []
