"""Installing the app by OAuth through the real web process, Slack's Web API on the mock:
the install page, the redirect, states used once, tokens sealed, revocation."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from storage.db import make_engine
from storage.models import SlackBot, SlackInstallation
from tests.support.bot_server import start_bot
from tests.support.oauth import (
    NEWCOMER,
    authorize_url,
    get,
    install,
    oauth_settings,
    redirect,
    state_cookie,
    state_of,
)
from tests.support.scan import cells_naming
from tests.support.slack_events import deliver, event_callback


@pytest.fixture
def oauth_bot(database_url, mock_slack):
    running = start_bot(oauth_settings(database_url, mock_slack))
    yield running
    running.stop()


def installed_bots(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(SlackBot)) or 0


def test_install_page_leads_to_slack_with_a_state_and_the_redirect_stores_the_install(
    oauth_bot, mock_slack, sessions
):
    page = get(oauth_bot.url + "/slack/install")
    assert page.status == 200
    url = authorize_url(page)
    assert url.startswith("https://slack.com/oauth/v2/authorize?")
    assert "client_id=1111.2222" in url
    assert "&scope=app_mentions:read,channels:history," in url
    state = state_of(url)

    answer = redirect(
        oauth_bot.url,
        code=mock_slack.oauth.code_for(NEWCOMER),
        state=state,
        cookie=state_cookie(page),
    )
    assert answer.status == 200, answer.text
    [exchange] = mock_slack.of("oauth.v2.access")
    assert "code-" in exchange.raw.decode()
    with sessions() as session:
        [row] = session.scalars(select(SlackBot)).all()
        assert (row.team_id, row.team_name) == (NEWCOMER.team_id, NEWCOMER.team_name)
        assert row.bot_token.startswith("gAAAA")  # a Fernet token

    # The same state again, or none at all, installs nothing more.
    again = redirect(
        oauth_bot.url,
        code=mock_slack.oauth.code_for(NEWCOMER),
        state=state,
        cookie=state_cookie(page),
    )
    assert again.status >= 400
    without = redirect(oauth_bot.url, code=mock_slack.oauth.code_for(NEWCOMER), state=None)
    assert without.status >= 400
    assert installed_bots(sessions) == 1
    assert len(mock_slack.of("oauth.v2.access")) == 1


def test_the_bot_token_occurs_nowhere_in_the_database(oauth_bot, mock_slack, database_url):
    assert install(oauth_bot.url, mock_slack, NEWCOMER).status == 200
    engine = make_engine(database_url)
    try:
        assert cells_naming(engine, (NEWCOMER.bot_token, "NewcomerBotSecret")) == []
    finally:
        engine.dispose()
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        stored = b"".join(
            path.read_bytes()
            for path in Path(url.database).parent.glob(Path(url.database).name + "*")
        )
        assert b"NewcomerBotSecret" not in stored


def test_tokens_revoked_removes_the_installation(oauth_bot, mock_slack, sessions):
    assert install(oauth_bot.url, mock_slack, NEWCOMER).status == 200
    revoked = event_callback({"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}})
    revoked["team_id"] = NEWCOMER.team_id
    revoked["authorizations"][0]["team_id"] = NEWCOMER.team_id
    assert deliver(oauth_bot.slack_url, revoked).status == 200
    # Bolt runs event listeners after the acknowledgement.
    wait_until(lambda: installed_bots(sessions) == 0)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(SlackInstallation)) == 0


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
