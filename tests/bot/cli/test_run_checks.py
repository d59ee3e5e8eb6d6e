"""``chemclust-bot run`` refuses a set-up that cannot serve anyone, with one line and no
traceback, before it touches the database: each case is a real process started with it."""

from __future__ import annotations

import pytest

from tests.support.processes import free_port, run_to_exit
from tests.support.slack_requests import BOT_TOKEN, SIGNING_SECRET

APP_TOKEN = "xapp-1-A0001-123-abcdef"
TEAMS_SECRET = "teams-client-secret-value"


def test_nothing_configured_says_what_to_set_and_that_the_console_needs_none(tmp_path):
    exited = run_to_exit("run", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/bot.db")
    assert exited.code == 2
    line = exited.one_line()
    for variable in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID"):
        assert variable in line
    assert "Socket Mode" in line
    assert "`chemclust-bot console` needs none" in line
    assert not (tmp_path / "bot.db").exists()  # refused before the database was touched


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        ({"SLACK_SIGNING_SECRET": SIGNING_SECRET}, "SLACK_SIGNING_SECRET is set but SLACK_BOT"),
        ({"SLACK_APP_TOKEN": APP_TOKEN}, "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not"),
        ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": APP_TOKEN, "SLACK_APP_TOKEN": BOT_TOKEN}, "are swapped"),
        (
            {"SLACK_BOT_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET},
            "SLACK_BOT_TOKEN holds an app-level token",
        ),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "1-A0001-123-abcdef"},
            "SLACK_APP_TOKEN must be an app-level token",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxp-1-2-3-user", "SLACK_SIGNING_SECRET": SIGNING_SECRET},
            "SLACK_BOT_TOKEN holds a user token",
        ),
        ({"TEAMS_APP_ID": "app"}, "TEAMS_APP_PASSWORD, TEAMS_TENANT_ID not set"),
        (
            {"TEAMS_APP_PASSWORD": TEAMS_SECRET, "TEAMS_TENANT_ID": "tenant"},
            "TEAMS_APP_ID not set",
        ),
        (
            {
                "TEAMS_ALLOW_ANONYMOUS": "1",
                "TEAMS_APP_ID": "app",
                "TEAMS_APP_PASSWORD": TEAMS_SECRET,
                "TEAMS_TENANT_ID": "tenant",
            },
            "cannot be combined with TEAMS_APP_PASSWORD",
        ),
        ({"TEAMS_ALLOW_ANONYMOUS": "maybe"}, "TEAMS_ALLOW_ANONYMOUS must be 1 or 0"),
        (
            {"TEAMS_ALLOW_ANONYMOUS": "1", "CHEMCLUST_SCHEDULER": "sometimes"},
            "CHEMCLUST_SCHEDULER must be 1 or 0",
        ),
        ({"TEAMS_ALLOW_ANONYMOUS": "1", "LOG_LEVEL": "verbose"}, "LOG_LEVEL must be one of"),
        (
            {"TEAMS_ALLOW_ANONYMOUS": "1", "DATABASE_URL": "mysql://bot:Hunter2Secret@db/chem"},
            "DATABASE_URL must be a SQLite or PostgreSQL address",
        ),
        (
            {"TEAMS_ALLOW_ANONYMOUS": "1", "DATABASE_URL": "not a database address"},
            "DATABASE_URL must be a SQLite or PostgreSQL address",
        ),
        (
            {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": "slack.com/api",
            },
            "SLACK_API_URL must be an http(s):// address",
        ),
    ],
    ids=lambda value: "-".join(sorted(value)) if isinstance(value, dict) else None,
)
def test_a_half_configuration_is_one_clear_line(tmp_path, settings, said):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", **settings}
    exited = run_to_exit("run", cwd=tmp_path, **env)
    assert exited.code == 2, exited.stderr
    line = exited.one_line()
    assert said in line
    for secret in (SIGNING_SECRET, TEAMS_SECRET, "Hunter2Secret", BOT_TOKEN, APP_TOKEN):
        assert secret not in line
    assert not (tmp_path / "bot.db").exists()


def test_a_port_in_use_is_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        exited = run_to_exit(
            "run",
            cwd=tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
            TEAMS_ALLOW_ANONYMOUS="1",
            HOST="127.0.0.1",
            PORT=str(port),
        )
    assert exited.code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in exited.one_line()


# The database at start ------------------------------------------------------------------------

DB_PASSWORD = "Sup3r-Secret-Pw"


@pytest.mark.parametrize("subcommand", [("run",), ("console",), ("db", "upgrade")])
def test_an_unreachable_postgresql_is_one_line_without_its_password(tmp_path, subcommand):
    port = free_port()  # nobody listens there
    url = f"postgresql://chemclust:{DB_PASSWORD}@127.0.0.1:{port}/chemclust"
    exited = run_to_exit(
        *subcommand, cwd=tmp_path, DATABASE_URL=url, TEAMS_ALLOW_ANONYMOUS="1", LOG_LEVEL="DEBUG"
    )
    assert exited.code == 1
    line = exited.one_line()
    assert (
        f"cannot reach the database at postgresql+psycopg://chemclust:***@127.0.0.1:{port}" in line
    )
    assert "Connection refused" in line
    assert DB_PASSWORD not in exited.stderr + exited.stdout


def test_a_sqlite_file_that_cannot_be_opened_is_one_line(tmp_path):
    url = f"sqlite:///{tmp_path}/no-such-folder/chemclust.db"
    exited = run_to_exit("run", cwd=tmp_path, DATABASE_URL=url, TEAMS_ALLOW_ANONYMOUS="1")
    assert exited.code == 1
    line = exited.one_line()
    assert f"cannot reach the database at {url}" in line
    assert "unable to open database file" in line
