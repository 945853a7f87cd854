"""Fuzz the API with schemathesis against a live server: a 5xx, an undocumented status or an off-schema
response fails the run.

A fresh demo city on its own database (PostgreSQL `<name>_fuzz` beside DATABASE_URL's, or a temporary
SQLite file), served by `manage.py rundev` as `make run` serves it; then schemathesis once as the office and
once as a grid worker, with bounded examples, a fixed seed and the stateful links it finds. Run by
`make fuzz` and by CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
ST = str(ROOT / ".venv" / "bin" / "st")
PORT = int(os.environ.get("FUZZ_PORT", "8765"))
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "10")
SEED = os.environ.get("FUZZ_SEED", "20261207")
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"
SEED_STEPS = [
    ["migrate", "--no-input"],
    ["seed_demo", "--if-empty"],
    ["seed_demo_campaign"],
    ["load_problem_categories"],
    ["load_check_templates"],
    ["seed_demo_tickets", "--if-empty"],
    ["seed_demo_patrols", "--if-empty"],
]


def fuzz_environment(workdir: Path) -> dict[str, str]:
    """The server's environment: DEBUG on, no Redis (tasks inline), its own fresh database."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SQLITE_PATH")}
    env.update(DEBUG="true", MEDIA_ROOT=str(workdir / "media"))
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        env["DATABASE_URL"] = fresh_postgres(url)
    else:
        env["SQLITE_PATH"] = str(workdir / "fuzz.sqlite3")
    return env


def fresh_postgres(url: str) -> str:
    """Drop and create `<name>_fuzz` on the same server; returns its URL."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_fuzz"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunsplit(parts._replace(path=f"/{name}"))


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command; its output."""
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def wait_for(url: str, seconds: float = 60) -> None:
    """Until the server answers /ping/."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="chuangwei-fuzz-") as tmp:
        env = fuzz_environment(Path(tmp))
        for step in SEED_STEPS:
            manage(env, *step)
        tokens = {who: manage(env, "drf_create_token", who).split()[2] for who in ("office", "grid")}
        base = f"http://127.0.0.1:{PORT}"
        log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 (kept open for the server's lifetime)
        server = subprocess.Popen(
            [PY, "manage.py", "rundev", f"127.0.0.1:{PORT}"], cwd=ROOT, env=env, stdout=log, stderr=log
        )
        failed = []
        try:
            wait_for(f"{base}/ping/")
            for who, token in tokens.items():
                print(f"\n===== schemathesis as {who} =====", flush=True)
                run = subprocess.run(
                    [
                        ST, "run", f"{base}/api/schema/?format=json",
                        "-H", f"Authorization: Token {token}",
                        "--checks", CHECKS,
                        "--max-examples", MAX_EXAMPLES,
                        "--seed", SEED,
                        "--request-timeout", "30",
                        "--no-color",
                    ],
                    cwd=ROOT,
                )  # fmt: skip
                if run.returncode != 0:
                    failed.append(who)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
            if failed:
                print((Path(tmp) / "server.log").read_text()[-5000:], file=sys.stderr)
        if failed:
            print(f"schemathesis found problems as: {', '.join(failed)}", file=sys.stderr)
            return 1
        print("schemathesis: no 5xx, no undocumented status, no response off the schema")
        return 0


if __name__ == "__main__":
    sys.exit(main())
