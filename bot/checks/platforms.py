"""Each configured platform: its settings, and for Slack what Slack says about the token."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.checks import Check, ok, problem, warning
from bot.checks.slack_auth import SlackAnswer, ask_slack
from bot.settings import ConfigurationError, Settings
from bot.startup import check_slack_settings, teams_incomplete

REINSTALL = (
    "reinstall the app (api.slack.com/apps → your app → OAuth & Permissions → Reinstall to "
    "Workspace) so that the token gets them, then copy the new Bot User OAuth Token"
)
NEW_TOKEN = "copy the current Bot User OAuth Token (xoxb-…) from OAuth & Permissions"  # noqa: S105 - advice


def slack_mode(settings: Settings) -> Check:
    try:
        check_slack_settings(settings)
    except ConfigurationError as error:
        return problem("slack settings", str(error), "set the variables it names")
    if settings.slack_oauth:
        return ok(
            "slack settings",
            "OAuth (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET): each workspace installs the app at "
            "PUBLIC_URL/slack/install, its bot token stored sealed with CHEMCLUST_SECRET_KEY",
        )
    if settings.slack_socket_mode:
        says = "Socket Mode (SLACK_APP_TOKEN): no public address needed"
        if settings.slack_signing_secret:
            says += "; requests over HTTP are verified with SLACK_SIGNING_SECRET too"
        return ok("slack settings", says)
    return ok(
        "slack settings",
        "HTTP (SLACK_SIGNING_SECRET): Slack must reach PUBLIC_URL/slack/events",
    )


async def slack_token(settings: Settings) -> list[Check]:
    answer = await ask_slack(settings)
    token = _token_check(answer, settings)
    if token.status != "ok":
        return [token]
    return [token, _scopes_check(answer)]


def _token_check(answer: SlackAnswer, settings: Settings) -> Check:
    if answer.unreachable:
        return problem(
            "slack token",
            f"cannot reach Slack's Web API at {settings.slack_api_url} ({answer.unreachable})",
            "check the network (and SLACK_API_URL if it is set)",
        )
    if not answer.accepted:
        if answer.error in {"token_revoked", "account_inactive", "token_expired"}:
            return problem(
                "slack token",
                f"Slack says SLACK_BOT_TOKEN was revoked ({answer.error})",
                REINSTALL,
            )
        return problem("slack token", f"Slack refused SLACK_BOT_TOKEN ({answer.error})", NEW_TOKEN)
    if not answer.is_bot:
        return problem(
            "slack token",
            "SLACK_BOT_TOKEN is a person's token, not the bot's",
            NEW_TOKEN,
        )
    return ok("slack token", f"Slack accepts SLACK_BOT_TOKEN (workspace {answer.team})")


def _scopes_check(answer: SlackAnswer) -> Check:
    from bot.slack.manifest import manifest_scopes

    wanted = frozenset(manifest_scopes())
    if answer.scopes is None:
        return warning(
            "slack scopes",
            "Slack did not say which scopes the token has (no X-OAuth-Scopes header)",
        )
    missing = sorted(wanted - answer.scopes)
    if missing:
        return problem(
            "slack scopes",
            f"the token lacks {', '.join(missing)}, which the app manifest asks for",
            REINSTALL,
        )
    return ok("slack scopes", f"the token has every scope the manifest asks for ({len(wanted)})")


def public_url(settings: Settings) -> Check:
    url = settings.public_url
    needed_by = "calendar subscription links"
    if not settings.slack_socket_mode and settings.slack_enabled:
        needed_by += " and Slack's request URL (PUBLIC_URL/slack/events)"
    if not url:
        return warning(
            "public url",
            f"PUBLIC_URL is not set: {needed_by} cannot be handed out",
            "set PUBLIC_URL to the address people and Slack reach the bot at "
            "(https://chemclust.example.org)",
        )
    parts = urlsplit(url)
    local = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    fix = "write it as https://host[:port][/path], the address from outside, without ? or #"
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return problem("public url", f"PUBLIC_URL {url!r} is not an http(s) address", fix)
    if parts.query or parts.fragment:
        return problem("public url", f"PUBLIC_URL {url!r} has a query or fragment", fix)
    if local:
        return warning(
            "public url",
            f"PUBLIC_URL {url} is this machine's own address: nobody else can reach it",
            fix,
        )
    if parts.scheme != "https":
        return problem(
            "public url",
            f"PUBLIC_URL {url} is not https: Slack and calendar apps want https",
            fix,
        )
    return ok("public url", f"{url} ({needed_by})")


def teams(settings: Settings) -> Check | None:
    if settings.teams_mode == "off":
        return None
    missing = settings.missing_teams_settings()
    if missing:
        return problem("teams", teams_incomplete(missing), "set the variables it names")
    if settings.teams_mode == "anonymous":
        return warning(
            "teams",
            "TEAMS_ALLOW_ANONYMOUS=1 accepts unverified activities",
            "for local testing only: set the Azure Bot's TEAMS_APP_ID, TEAMS_APP_PASSWORD "
            "and TEAMS_TENANT_ID instead",
        )
    return ok("teams", "credentials set (Microsoft checks them when the bot answers)")
