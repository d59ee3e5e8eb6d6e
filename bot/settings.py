"""Configuration from the environment, read once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from storage.db import database_url

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str = "0.0.0.0"  # noqa: S104 - a web process listens on all interfaces by design
    port: int = 3000
    log_level: str = "INFO"
    coordinators: frozenset[str] = frozenset()
    public_url: str = ""
    # Off in processes that must not run timed jobs (tests of the web layer, one-off tools).
    scheduler_enabled: bool = True
    # How often due reminders are looked for and sent.
    dispatch_seconds: int = 30
    # How long a claim on a reminder or a weekly digest holds before another process may take
    # it over (its holder died); longer than any one send may take.
    claim_lease_seconds: int = 120
    slack_api_url: str = DEFAULT_SLACK_API_URL
    # Secrets stay out of repr() so that a logged Settings never shows them.
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    # Microsoft Teams (Azure Bot registration): app id, client secret and tenant, all or none.
    teams_app_id: str = ""
    teams_app_password: str = field(default="", repr=False)
    teams_tenant_id: str = ""
    # Accept activities without a Bot Framework token: local development and tests only.
    teams_allow_anonymous: bool = False

    @property
    def teams_credentials(self) -> bool:
        return bool(self.teams_app_id and self.teams_app_password and self.teams_tenant_id)

    @property
    def teams_mode(self) -> str:
        """ "anonymous" (tokens not required), "on" (tokens verified) or "off".

        Any Teams credential counts as wanting Teams: a missing one is then a start-up error.
        """
        if self.teams_allow_anonymous:
            return "anonymous"
        if self.teams_app_id or self.teams_app_password or self.teams_tenant_id:
            return "on"
        return "off"

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def slack_socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_SLACK_API_URL
        return cls(
            database_url=database_url(env),
            host=env.get("HOST", "").strip() or "0.0.0.0",  # noqa: S104
            port=_port(env.get("PORT", "")),
            log_level=(env.get("LOG_LEVEL", "").strip() or "INFO").upper(),
            coordinators=_id_list(env.get("CHEMCLUST_COORDINATORS", "")),
            public_url=env.get("PUBLIC_URL", "").strip().rstrip("/"),
            scheduler_enabled=env.get("CHEMCLUST_SCHEDULER", "on").strip().lower()
            not in {"off", "0", "false", "no"},
            dispatch_seconds=_dispatch_seconds(env.get("CHEMCLUST_DISPATCH_SECONDS", "")),
            claim_lease_seconds=_claim_lease_seconds(env.get("CHEMCLUST_CLAIM_LEASE_SECONDS", "")),
            slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
            slack_bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            slack_app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            teams_app_id=env.get("TEAMS_APP_ID", "").strip(),
            teams_app_password=env.get("TEAMS_APP_PASSWORD", "").strip(),
            teams_tenant_id=env.get("TEAMS_TENANT_ID", "").strip(),
            teams_allow_anonymous=_flag(env.get("TEAMS_ALLOW_ANONYMOUS", "")),
        )

    def secrets(self) -> list[str]:
        return [
            s
            for s in (
                self.slack_bot_token,
                self.slack_signing_secret,
                self.slack_app_token,
                self.teams_app_password,
            )
            if s
        ]


class ConfigurationError(Exception):
    """The environment is missing or has a wrong setting; the message says which and how."""


def _flag(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _id_list(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _port(raw: str) -> int:
    raw = raw.strip()
    if not raw:
        return 3000
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigurationError(f"PORT must be a number between 1 and 65535, not {raw!r}")
    return int(raw)


def _dispatch_seconds(raw: str) -> int:
    raw = raw.strip()
    if not raw:
        return 30
    if not raw.isdigit() or not 1 <= int(raw) <= 3600:
        raise ConfigurationError(
            f"CHEMCLUST_DISPATCH_SECONDS must be a number of seconds from 1 to 3600, not {raw!r}"
        )
    return int(raw)


def _claim_lease_seconds(raw: str) -> int:
    raw = raw.strip()
    if not raw:
        return 120
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 86400:
        raise ConfigurationError(
            "CHEMCLUST_CLAIM_LEASE_SECONDS must be a number of seconds from 1 to 86400, "
            f"not {raw!r}"
        )
    return int(raw)
