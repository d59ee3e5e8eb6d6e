"""CHEMCLUST_CLAIM_LEASE_SECONDS: how long a claim on a reminder or a digest holds."""

from __future__ import annotations

import subprocess

import pytest

from bot.settings import ConfigurationError, Settings
from tests.support.processes import environment, executable


def test_the_lease_is_two_minutes_unless_set():
    assert Settings.from_env({}).claim_lease_seconds == 120
    assert Settings.from_env({"CHEMCLUST_CLAIM_LEASE_SECONDS": " 5 "}).claim_lease_seconds == 5


@pytest.mark.parametrize("lease", ["0", "86401", "2m", "-1", "1.5", "²"])
def test_a_lease_that_is_not_a_number_of_seconds_is_refused(lease):
    with pytest.raises(ConfigurationError, match=r"CHEMCLUST_CLAIM_LEASE_SECONDS .* 1 to 86400"):
        Settings.from_env({"CHEMCLUST_CLAIM_LEASE_SECONDS": lease})


def test_run_with_a_bad_lease_says_so_and_stops(tmp_path):
    result = subprocess.run(
        [executable(), "run"],
        env=environment(CHEMCLUST_CLAIM_LEASE_SECONDS="soon"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "CHEMCLUST_CLAIM_LEASE_SECONDS must be a number of seconds" in result.stderr
    assert "Traceback" not in result.stderr
