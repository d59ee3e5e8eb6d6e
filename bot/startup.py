"""Checks before the web process serves: is there something to serve, is each platform's
configuration complete, and does Slack accept the tokens. Each problem is one sentence that
says which variable to set; ``chemclust-bot run`` prints it and exits instead of starting a
process that looks healthy and answers nobody."""

from __future__ import annotations

from bot.settings import ConfigurationError, Settings

# Slack answers auth.test in well under a second; beyond this something is wrong on the way.
TOKEN_CHECK_SECONDS = 15
APP_TOKEN_PREFIX = "xapp-"  # noqa: S105 - a prefix to recognise, not a secret

NOTHING_TO_SERVE = (
    "nothing to serve: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (Slack over HTTP), "
    "SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Slack over Socket Mode), or TEAMS_APP_ID, "
    "TEAMS_APP_PASSWORD and TEAMS_TENANT_ID (Microsoft Teams); `chemclust-bot console` "
    "needs none of them"
)


class SlackUnreachable(Exception):
    """Slack's Web API did not answer the token check (network, address, outage)."""


def check_configuration(settings: Settings) -> None:
    """Raise ConfigurationError for a set-up that cannot serve anyone as configured."""
    slack_wanted = bool(
        settings.slack_bot_token
        or settings.slack_signing_secret
        or settings.slack_app_token
        or settings.slack_oauth
    )
    if not slack_wanted and settings.teams_mode == "off":
        raise ConfigurationError(NOTHING_TO_SERVE)
    if slack_wanted:
        check_slack_settings(settings)
    missing = settings.missing_teams_settings()
    if missing:
        raise ConfigurationError(teams_incomplete(missing))
    if settings.teams_allow_anonymous and settings.teams_app_password:
        raise ConfigurationError(
            "TEAMS_ALLOW_ANONYMOUS=1 accepts Teams activities without a token, for local "
            "testing only: it cannot be combined with TEAMS_APP_PASSWORD"
        )


def check_slack_settings(settings: Settings) -> None:
    if settings.slack_oauth:
        check_slack_oauth_settings(settings)
        return
    bot, app = settings.slack_bot_token, settings.slack_app_token
    if bot.startswith(APP_TOKEN_PREFIX) and app.startswith("xox"):
        raise ConfigurationError(
            "SLACK_BOT_TOKEN and SLACK_APP_TOKEN are swapped: SLACK_BOT_TOKEN takes the bot "
            "token (xoxb-…), SLACK_APP_TOKEN the app-level token (xapp-…)"
        )
    if bot.startswith(APP_TOKEN_PREFIX):
        raise ConfigurationError(
            "SLACK_BOT_TOKEN holds an app-level token (xapp-…): it takes the bot token "
            "(xoxb-…, under OAuth & Permissions); an app-level token goes in SLACK_APP_TOKEN"
        )
    if app and not app.startswith(APP_TOKEN_PREFIX):
        raise ConfigurationError(
            "SLACK_APP_TOKEN must be an app-level token (xapp-…, under Basic Information → "
            "App-Level Tokens with the connections:write scope)"
        )
    if bot.startswith("xoxp-"):
        raise ConfigurationError(
            "SLACK_BOT_TOKEN holds a user token (xoxp-…): it takes the bot token (xoxb-…)"
        )
    if not bot:
        given = "SLACK_APP_TOKEN" if app else "SLACK_SIGNING_SECRET"
        raise ConfigurationError(
            f"{given} is set but SLACK_BOT_TOKEN is not: Slack needs the bot token (xoxb-…, "
            "under OAuth & Permissions) as well"
        )
    if not app and not settings.slack_signing_secret:
        raise ConfigurationError(
            "SLACK_SIGNING_SECRET is not set: it is needed to verify requests over HTTP "
            "(or set SLACK_APP_TOKEN for Socket Mode)"
        )


def check_slack_oauth_settings(settings: Settings) -> None:
    """Many workspaces by OAuth: both app credentials, requests over HTTP, a key to seal the
    workspaces' bot tokens with, and no single workspace's token beside them."""
    if not (settings.slack_client_id and settings.slack_client_secret):
        missing = "SLACK_CLIENT_SECRET" if settings.slack_client_id else "SLACK_CLIENT_ID"
        raise ConfigurationError(
            f"{missing} is not set: installing in many workspaces (OAuth) needs the app's "
            "Client ID and Client Secret together (Basic Information → App Credentials)"
        )
    if settings.slack_bot_token:
        raise ConfigurationError(
            "SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID: choose one workspace (the "
            "bot token alone) or many (OAuth: client id and secret, each workspace's token is "
            "stored when it installs the app)"
        )
    if not settings.slack_signing_secret:
        raise ConfigurationError(
            "SLACK_SIGNING_SECRET is not set: installing by OAuth needs it to verify requests "
            "over HTTP (Basic Information → App Credentials)"
        )
    if not settings.secret_key:
        raise ConfigurationError(
            "CHEMCLUST_SECRET_KEY is not set: with OAuth the workspaces' bot tokens are stored "
            "encrypted under it; make one with `python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())'` and keep it safe"
        )
    from storage.installations import SecretKeyError, TokenCipher

    try:
        TokenCipher(settings.secret_key)
    except SecretKeyError as wrong:
        raise ConfigurationError(f"CHEMCLUST_SECRET_KEY is {wrong}") from None


def teams_incomplete(missing: list[str]) -> str:
    return (
        f"{', '.join(missing)} not set: Teams needs the Azure Bot's app id, client "
        "secret and tenant id together (or TEAMS_ALLOW_ANONYMOUS=1 for local testing)"
    )


async def check_slack_tokens(settings: Settings) -> None:
    """Ask Slack whether it accepts each configured token.

    Raises ConfigurationError when Slack refuses one (naming it and Slack's reason), and
    SlackUnreachable when Slack cannot be asked.
    """
    if not settings.slack_bot_token:
        return  # OAuth: each workspace's token was checked by Slack when it was issued
    import aiohttp
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import web_client

    client = web_client(settings)
    client.timeout = TOKEN_CHECK_SECONDS
    name = "SLACK_BOT_TOKEN"
    try:
        answer = await client.auth_test()
        if not answer.get("bot_id"):
            raise ConfigurationError(
                "SLACK_BOT_TOKEN is not a bot token (Slack knows it as a person's): it takes "
                "the Bot User OAuth Token (xoxb-…)"
            )
        if settings.slack_socket_mode:
            name = "SLACK_APP_TOKEN"
            await client.apps_connections_open(app_token=settings.slack_app_token)
    except SlackApiError as refused:
        status, reason = refused.response.status_code, refused.response.get("error")
        if status != 200 or not reason:
            raise SlackUnreachable(
                f"Slack's Web API at {settings.slack_api_url} answered HTTP {status} when "
                f"asked to check {name}; check SLACK_API_URL"
            ) from None
        raise ConfigurationError(f"Slack refused {name} ({reason}); {_where(name)}") from None
    except (TimeoutError, OSError, aiohttp.ClientError, ValueError) as error:
        # ValueError: an answer that is not Slack's JSON (an address that is not the Web API).
        raise SlackUnreachable(
            f"cannot reach Slack's Web API at {settings.slack_api_url} to check {name} "
            f"({type(error).__name__}); check SLACK_API_URL and the network"
        ) from None


def _where(name: str) -> str:
    if name == "SLACK_APP_TOKEN":
        return "copy a current app-level token (xapp-…) from Basic Information → App-Level Tokens"
    return "copy the current Bot User OAuth Token (xoxb-…) from OAuth & Permissions"
