"""The settings module fails loudly on bad environment values and is deploy-clean in production shape."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROD = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#Kq2!vLp9@Zr4$Tw8%Yb1^Nc6&Md3*Hf5(Gj0)Sa-Ue=Ri+Ox~Pl_Qk",
    "ALLOWED_HOSTS": "cw.example.gov.cn",
}


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a clean environment with only the given variables set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "yes please"}, "DEBUG='yes please' is not a boolean"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        (
            {
                "DEBUG": "false",
                "SECRET_KEY": "dev-only-insecure-key-chuangwei-do-not-use-in-production-0123456789",
            },
            "SECRET_KEY is the development default",
        ),
        (
            {"DEBUG": "true", "DB_CONN_MAX_AGE": "soon", "DATABASE_URL": "postgres://u@h/db"},
            "DB_CONN_MAX_AGE='soon'",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a usable database URL"),
    ],
)
def test_bad_environment_fails_at_start(env: dict[str, str], message: str) -> None:
    result = run(env, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_production_shaped_env_passes_check_deploy() -> None:
    result = run(PROD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_default_is_off() -> None:
    result = run(
        {"SECRET_KEY": PROD["SECRET_KEY"]},
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )
    assert result.stdout.strip() == "False"


def test_embedded_default_uses_sqlite_locmem_and_inline_tasks() -> None:
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run({"DEBUG": "true"}, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "LocMemCache", "True"]


def test_services_env_uses_postgres_redis_and_a_broker() -> None:
    code = (
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )
    env = {"DEBUG": "true", "DATABASE_URL": "postgres://u:p@db:5432/cw", "REDIS_URL": "redis://r:6379/0"}
    result = run(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "RedisCache",
        "False",
        "redis://r:6379/0",
    ]
