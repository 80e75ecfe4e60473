"""Settings fail loudly, and the project's own checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import internships.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_settings({})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_malformed_debug_flag_is_an_error_not_a_guess():
    result = run_settings({"DJANGO_DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_development_settings_start_with_debug_explicitly_on():
    assert run_settings({"DJANGO_DEBUG": "true"}).returncode == 0


@pytest.mark.django_db
def test_django_system_checks_pass():
    call_command("check", fail_level="WARNING")
