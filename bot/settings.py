"""Configuration from the environment, read once at start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.logs import hide_url_passwords
from storage.db import database_url, hidden_password, url_secrets
from storage.numbers import NumberError, WholeNumber

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str = "0.0.0.0"  # noqa: S104 - a web process listens on all interfaces by design
    port: int = 3000
    log_level: str = "INFO"
    # "text" for people reading a terminal, "json" (one object per line) for log collectors.
    log_format: str = "text"
    # Prometheus metrics: served at /metrics on PORT when on, or on a port of their own.
    metrics_enabled: bool = False
    metrics_port: int | None = None
    # How long a stopping process may finish commands and deliveries in flight (SIGTERM);
    # platforms kill a process some 30 seconds after asking it to stop.
    stop_seconds: int = 25
    coordinators: frozenset[str] = frozenset()
    public_url: str = ""
    # Off in processes that must not run timed jobs (tests of the web layer, one-off tools).
    scheduler_enabled: bool = True
    # How often due reminders are looked for and sent (whole seconds from the environment; a
    # fraction given directly, as the tests' in-process bots do, works too).
    dispatch_seconds: float = 30
    # How long a claim on a reminder or a weekly digest holds before another process may take
    # it over (its holder died); longer than any one send may take.
    claim_lease_seconds: int = 120
    slack_api_url: str = DEFAULT_SLACK_API_URL
    # Secrets stay out of repr() so that a logged Settings never shows them.
    slack_bot_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    # Slack by OAuth (many workspaces): the app's client id and secret, the bot scopes asked
    # for (empty: the manifest's), and the key bot tokens are encrypted with at rest.
    slack_client_id: str = ""
    slack_client_secret: str = field(default="", repr=False)
    slack_scopes: tuple[str, ...] = ()
    secret_key: str = field(default="", repr=False)
    # Microsoft Teams (Azure Bot registration): app id, client secret and tenant, all or none.
    teams_app_id: str = ""
    teams_app_password: str = field(default="", repr=False)
    teams_tenant_id: str = ""
    # Accept activities without a Bot Framework token: local development and tests only.
    teams_allow_anonymous: bool = False
    # Modules of features added to those the bot ships (CHEMCLUST_FEATURES, bot.features).
    features: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # Secrets are left out (repr=False); addresses are shown without their passwords.
        shown = []
        for each in fields(self):
            if not each.repr:
                continue
            value = getattr(self, each.name)
            if each.name == "database_url":
                value = hidden_password(value)
            elif isinstance(value, str):
                value = hide_url_passwords(value)
            shown.append(f"{each.name}={value!r}")
        return f"Settings({', '.join(shown)})"

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

    def missing_teams_settings(self) -> list[str]:
        """The Teams credentials not set while others are (Teams then counts as wanted)."""
        if self.teams_mode != "on":
            return []
        given = (
            ("TEAMS_APP_ID", self.teams_app_id),
            ("TEAMS_APP_PASSWORD", self.teams_app_password),
            ("TEAMS_TENANT_ID", self.teams_tenant_id),
        )
        return [name for name, value in given if not value]

    @property
    def slack_oauth(self) -> bool:
        """Slack installed by OAuth in many workspaces, each with its own bot token."""
        return bool(self.slack_client_id or self.slack_client_secret)

    @property
    def metrics_served(self) -> bool:
        """Metrics are exposed: on the web port (CHEMCLUST_METRICS) or on METRICS_PORT."""
        return self.metrics_enabled or self.metrics_port is not None

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token) or self.slack_oauth

    @property
    def slack_socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_SLACK_API_URL
        return cls(
            database_url=_database_url(env),
            host=env.get("HOST", "").strip() or "0.0.0.0",  # noqa: S104
            port=_port(env.get("PORT", "")),
            log_level=_log_level(env.get("LOG_LEVEL", "")),
            log_format=_log_format(env.get("LOG_FORMAT", "")),
            metrics_enabled=_flag(env, "CHEMCLUST_METRICS", default=False),
            metrics_port=_metrics_port(env.get("METRICS_PORT", "")),
            stop_seconds=_number(
                "CHEMCLUST_STOP_SECONDS", env.get("CHEMCLUST_STOP_SECONDS", ""), STOP_SECONDS, 25
            ),
            coordinators=_id_list(env.get("CHEMCLUST_COORDINATORS", "")),
            public_url=env.get("PUBLIC_URL", "").strip().rstrip("/"),
            scheduler_enabled=_flag(env, "CHEMCLUST_SCHEDULER", default=True),
            dispatch_seconds=_dispatch_seconds(env.get("CHEMCLUST_DISPATCH_SECONDS", "")),
            claim_lease_seconds=_claim_lease_seconds(env.get("CHEMCLUST_CLAIM_LEASE_SECONDS", "")),
            slack_api_url=_web_address(
                "SLACK_API_URL", api_url if api_url.endswith("/") else api_url + "/"
            ),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            slack_app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            slack_client_id=env.get("SLACK_CLIENT_ID", "").strip(),
            slack_client_secret=env.get("SLACK_CLIENT_SECRET", "").strip(),
            slack_scopes=tuple(sorted(_id_list(env.get("SLACK_SCOPES", "")))),
            secret_key=env.get("CHEMCLUST_SECRET_KEY", "").strip(),
            teams_app_id=env.get("TEAMS_APP_ID", "").strip(),
            teams_app_password=env.get("TEAMS_APP_PASSWORD", "").strip(),
            teams_tenant_id=env.get("TEAMS_TENANT_ID", "").strip(),
            teams_allow_anonymous=_flag(env, "TEAMS_ALLOW_ANONYMOUS", default=False),
            features=feature_modules(env),
        )

    def secrets(self) -> list[str]:
        """Every configured secret, for the log filter (passwords in addresses included)."""
        return [
            s
            for s in (
                self.slack_bot_token,
                self.slack_signing_secret,
                self.slack_app_token,
                self.slack_client_secret,
                self.secret_key,
                self.teams_app_password,
                *url_secrets(self.database_url),
            )
            if s
        ]


class ConfigurationError(Exception):
    """The environment is missing or has a wrong setting; the message says which and how."""


def feature_modules(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The modules CHEMCLUST_FEATURES names, comma-separated (see bot.features)."""
    raw = (os.environ if environ is None else environ).get("CHEMCLUST_FEATURES", "")
    return tuple(name.strip() for name in raw.split(",") if name.strip())


def _flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "")
    value = raw.strip().lower()
    if not value:
        return default
    if value not in _TRUE | _FALSE:
        raise ConfigurationError(f"{name} must be 1 or 0 (on/off, yes/no), not {raw.strip()!r}")
    return value in _TRUE


def _database_url(env: Mapping[str, str]) -> str:
    url = database_url(dict(env))
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
    except ArgumentError:
        parsed, backend = None, ""
    if parsed is None or backend not in {"sqlite", "postgresql"}:
        raise ConfigurationError(
            "DATABASE_URL must be a SQLite or PostgreSQL address (sqlite:///chemclust.db, "
            f"postgresql+psycopg://user:password@host:5432/db), not {hidden_password(url)}"
        )
    timeout = parsed.query.get("timeout") if backend == "sqlite" else None
    if timeout is not None and not re.fullmatch(r"[0-9]+(\.[0-9]+)?", str(timeout)):
        raise ConfigurationError(
            f"DATABASE_URL's timeout must be a number of seconds (?timeout=30), not {timeout!r}"
        )
    return url


def _log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigurationError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {raw!r}")
    return level


def _log_format(raw: str) -> str:
    value = raw.strip().lower() or "text"
    if value not in LOG_FORMATS:
        raise ConfigurationError(f"LOG_FORMAT must be text or json, not {raw.strip()!r}")
    return value


def _web_address(name: str, url: str) -> str:
    if not url.startswith(("https://", "http://")) or len(url) <= len("https://"):
        raise ConfigurationError(
            f"{name} must be an http(s):// address, not {hide_url_passwords(url)!r}"
        )
    return url


def _id_list(raw: str) -> frozenset[str]:
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


PORT = WholeNumber("a number", 1, 65535, "3000")
DISPATCH_SECONDS = WholeNumber("a number of seconds", 1, 3600, "30")
CLAIM_LEASE_SECONDS = WholeNumber("a number of seconds", 1, 86400, "120")
STOP_SECONDS = WholeNumber("a number of seconds", 1, 600, "25")


def _number(name: str, raw: str, kind: WholeNumber, default: int) -> int:
    """A setting that is a whole number, read like every number people type."""
    if not raw.strip():
        return default
    try:
        return kind.read(raw)
    except NumberError:
        raise ConfigurationError(
            f"{name} must be {kind.what} from {kind.low} to {kind.high}, written with the "
            f"digits 0-9 (e.g. {kind.example}), not {raw.strip()!r}"
        ) from None


def _port(raw: str) -> int:
    return _number("PORT", raw, PORT, 3000)


def _dispatch_seconds(raw: str) -> int:
    return _number("CHEMCLUST_DISPATCH_SECONDS", raw, DISPATCH_SECONDS, 30)


def _claim_lease_seconds(raw: str) -> int:
    return _number("CHEMCLUST_CLAIM_LEASE_SECONDS", raw, CLAIM_LEASE_SECONDS, 120)


def _metrics_port(raw: str) -> int | None:
    return _number("METRICS_PORT", raw, PORT, 0) or None
