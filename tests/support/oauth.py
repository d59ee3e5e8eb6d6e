"""Installing the bot by OAuth as a browser and Slack would: the install page, then Slack's
redirect with a code and the state, carrying the state cookie the install page set."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, quote, urlparse

from bot.settings import Settings
from storage.db import SessionFactory
from storage.groups import default_group
from storage.workspaces import link_workspace
from tests.support.bot_server import DISPATCH_SECONDS, RunningBot, start_bot
from tests.support.mock_slack import MockSlack
from tests.support.mock_slack_oauth import CLIENT_ID, CLIENT_SECRET, Workspace
from tests.support.slack_requests import SIGNING_SECRET, Response, send

# A Fernet key for tests only: 32 bytes, URL-safe base64.
SECRET_KEY = "cTR0N3c5eiRDJkYpSkBOY1JmVWpYbjJyNXU4eC9BJUQ="

HOME = Workspace("T0001", "ChemClust", "xoxb-home-0001-ChemClustHomeSecret")
NEWCOMER = Workspace("T0NEW", "Limburg Chemelot", "xoxb-new-0002-NewcomerBotSecret")
# The workspace of a second working group (tests.support.groups), linked by its operator.
BATTERIES = Workspace("T0002", "Batteries Valley", "xoxb-batt-0003-BatteriesBotSecret")


def oauth_settings(database_url: str, mock_slack: MockSlack, **extra) -> Settings:
    return Settings(
        database_url=database_url,
        host="127.0.0.1",
        port=0,
        coordinators=frozenset({"UCOORD"}),
        slack_api_url=mock_slack.api_url,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        secret_key=SECRET_KEY,
        **extra,
    )


def get(url: str, headers: dict[str, str] | None = None) -> Response:
    return send(urllib.request.Request(url, headers=headers or {}, method="GET"))


def authorize_url(page: Response) -> str:
    """Slack's authorize URL on the Add to Slack page."""
    found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
    assert found, page.text
    return found.group(1).replace("&amp;", "&")


def state_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["state"][0]


def state_cookie(page: Response) -> str:
    cookie = SimpleCookie()
    for _name, value in _headers(page, "set-cookie"):
        cookie.load(value)
    return "; ".join(f"{key}={morsel.value}" for key, morsel in cookie.items())


def _headers(page: Response, wanted: str) -> Iterator[tuple[str, str]]:
    return ((k, v) for k, v in page.headers.items() if k.lower() == wanted)


def redirect(bot_url: str, *, code: str | None, state: str | None, cookie: str = "") -> Response:
    query = "&".join(
        f"{name}={quote(value)}" for name, value in (("code", code), ("state", state)) if value
    )
    return get(f"{bot_url}/slack/oauth_redirect?{query}", {"Cookie": cookie} if cookie else {})


def install(bot_url: str, mock_slack: MockSlack, workspace: Workspace) -> Response:
    """The whole flow for ``workspace``; the redirect's answer."""
    page = get(bot_url + "/slack/install")
    assert page.status == 200, page.text
    url = authorize_url(page)
    code = mock_slack.oauth.code_for(workspace)
    return redirect(bot_url, code=code, state=state_of(url), cookie=state_cookie(page))


def start_installed_bot(
    database_url: str, mock_slack: MockSlack, sessions: SessionFactory, *others: Workspace
) -> RunningBot:
    """The web process with OAuth on, installed in HOME (linked by its operator to ChemClust)
    and in each of ``others`` (linked to nothing yet)."""
    running = start_bot(oauth_settings(database_url, mock_slack, dispatch_seconds=DISPATCH_SECONDS))
    for workspace in (HOME, *others):
        assert install(running.url, mock_slack, workspace).status == 200
    with sessions.begin() as session:
        link_workspace(
            session=session,
            group_id=default_group(session=session).id,
            platform="slack",
            external_id=HOME.team_id,
        )
    return running
