"""Secrets stay out of logs and reprs; settings come from the environment with checks."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactSecrets
from bot.settings import ConfigurationError, Settings


def test_tokens_and_configured_secrets_are_redacted_from_messages_and_tracebacks():
    record_filter = RedactSecrets(["my-signing-secret-123"])
    try:
        raise ValueError("token xoxb-123-456-abc and my-signing-secret-123 leaked")
    except ValueError as error:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "calling with %s",
            ("xapp-1-A-2",),
            (type(error), error, error.__traceback__),
        )
    assert record_filter.filter(record)
    assert record.getMessage() == "calling with [redacted token]"
    assert "xoxb-" not in record.exc_text
    assert "my-signing-secret-123" not in record.exc_text
    assert "[redacted]" in record.exc_text


def test_settings_read_the_environment_and_hide_secrets_from_repr():
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgres://u:p@db/chem",
            "PORT": "8080",
            "SLACK_BOT_TOKEN": "xoxb-secret",
            "SLACK_SIGNING_SECRET": "signing",
            "SLACK_API_URL": "http://localhost:9/api",
            "CHEMCLUST_COORDINATORS": " U1, U2 ,,",
        }
    )
    assert settings.database_url == "postgresql+psycopg://u:p@db/chem"
    assert settings.port == 8080
    assert settings.slack_api_url == "http://localhost:9/api/"
    assert settings.coordinators == frozenset({"U1", "U2"})
    assert "xoxb-secret" not in repr(settings)
    assert "signing" not in repr(settings)


def test_defaults_are_a_local_sqlite_file_and_port_3000():
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///chemclust.db"
    assert settings.port == 3000
    assert settings.slack_enabled is False


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_bad_port_is_a_configuration_error(port):
    with pytest.raises(ConfigurationError, match="PORT"):
        Settings.from_env({"PORT": port})


@pytest.mark.parametrize("typed", ["²", "①", "３０", "١٢", "99999999999999999999", "-5", "1.5"])
@pytest.mark.parametrize(
    "variable", ["PORT", "CHEMCLUST_DISPATCH_SECONDS", "CHEMCLUST_CLAIM_LEASE_SECONDS"]
)
def test_number_settings_are_read_like_every_number(variable, typed):
    """Digits that are not 0-9, or too many of them, are a setting's mistake, not a crash."""
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env({variable: typed})
    assert variable in str(refused.value)
    assert "digits 0-9" in str(refused.value)
