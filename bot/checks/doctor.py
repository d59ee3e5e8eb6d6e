"""Running every check in order, on the settings of this environment."""

from __future__ import annotations

import asyncio

from bot.checks import OK, PROBLEM, WARNING, Check, problem, skipped
from bot.checks.database import reachable, schema
from bot.checks.group import group_checks, reminder_checks
from bot.checks.installations import NAME as INSTALLATIONS
from bot.checks.installations import slack_installations
from bot.checks.platforms import public_url, slack_mode, slack_token, teams
from bot.settings import ConfigurationError, Settings
from bot.startup import NOTHING_TO_SERVE
from storage.db import make_engine, make_session_factory
from storage.models import utcnow

_GROUP_CHECKS = ("groups", "reminders", "dispatcher")


def run_checks(settings: Settings | None = None) -> list[Check]:
    try:
        settings = settings or Settings.from_env()
    except ConfigurationError as error:
        return [problem("settings", str(error), "correct the variable it names")]
    checks = _database_checks(settings)
    database_ready = all(check.status == OK for check in checks)
    slack_wanted = bool(
        settings.slack_bot_token or settings.slack_signing_secret or settings.slack_app_token
    )
    if not slack_wanted and settings.teams_mode == "off":
        checks.append(problem("platforms", NOTHING_TO_SERVE, "set the variables it names"))
    if slack_wanted:
        checks.append(slack_mode(settings))
    # With OAuth each workspace has its own token, checked with the installations below.
    if settings.slack_enabled and not settings.slack_oauth:
        checks.extend(asyncio.run(slack_token(settings)))
    checks.append(public_url(settings))
    if (teams_check := teams(settings)) is not None:
        checks.append(teams_check)
    if not database_ready:
        why = "the database is not reachable or its schema is not current"
        names = (*_GROUP_CHECKS, *((INSTALLATIONS,) if settings.slack_oauth else ()))
        return checks + [skipped(name, why) for name in names]
    return checks + _group_checks(settings)


def _database_checks(settings: Settings) -> list[Check]:
    engine = make_engine(settings.database_url)
    try:
        found = reachable(engine, settings.database_url)
        if found.status != OK:
            return [found, skipped("schema", "the database cannot be reached")]
        return [found, schema(engine)]
    finally:
        engine.dispose()


def _group_checks(settings: Settings) -> list[Check]:
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    try:
        checks = [slack_installations(settings, sessions)] if settings.slack_oauth else []
        checks += group_checks(settings, sessions)
        return checks + reminder_checks(settings, sessions, now=utcnow())
    except Exception as error:
        why = f"the database could not answer ({type(error).__name__})"
        return [skipped(name, why) for name in _GROUP_CHECKS]
    finally:
        engine.dispose()


def summary(checks: list[Check]) -> str:
    problems = sum(check.status == PROBLEM for check in checks)
    warnings = sum(check.status == WARNING for check in checks)
    noted = f", {warnings} warning(s)" if warnings else ""
    if problems:
        return f"{problems} problem(s){noted}: fix them from the top, then run the doctor again"
    return f"All is well: {len(checks)} checks{noted}"
