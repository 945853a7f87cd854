"""The server `make run` starts (`manage.py rundev`) takes a phone fleet syncing at once.

A real server process on a SQLite file of its own (the embedded default, whatever database the suite runs on):
50 phones send the same finding at the same moment and get 50 answers, one of them 201, and one finding is
stored. Django's runserver, with its listen backlog of 10, reset some of those connections.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.patrols.factories import jpeg_bytes

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PHONES = 50
SEED = "from tests.core.embedded_seed import seed; seed()"


@dataclass
class Server:
    """A running `manage.py rundev` and what the seed reported."""

    proc: subprocess.Popen[bytes]
    port: int
    database: Path
    log: Path
    seeded: dict[str, Any]

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def embedded_env(tmp: Path) -> dict[str, str]:
    """`make run`'s environment on a file of the test's own: DEBUG on, no DATABASE_URL, no REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "PORT"}}
    return {**env, "DEBUG": "true", "SQLITE_PATH": str(tmp / "db.sqlite3"), "MEDIA_ROOT": str(tmp / "media")}


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> int:
    """GET path; the status code."""
    conn = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def start(env: dict[str, str], tmp: Path, seeded: dict[str, Any], name: str) -> Server:
    """Start the server as the Makefile's run target does and wait until it answers /ping/."""
    port, log = free_port(), tmp / f"{name}.log"
    command = [sys.executable, "manage.py", "rundev", f"{HOST}:{port}"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(proc, port, Path(env["SQLITE_PATH"]), log, seeded)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"rundev exited with {proc.returncode}:\n{server.output()[-3000:]}")
        try:
            if get(port, "/ping/") == 200:
                return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    pytest.fail(f"rundev did not answer /ping/ within 30 s:\n{server.output()[-3000:]}")


def stop(server: Server) -> int:
    """Ctrl-C, as a terminal sends it; the exit code."""
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGINT)
    try:
        return server.proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
        raise


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path, dict[str, Any]]:
    """A migrated SQLite file with one grid worker, their point and the check templates."""
    tmp = tmp_path_factory.mktemp("embedded")
    env = embedded_env(tmp)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return env, tmp, json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def server(seeded: tuple[dict[str, str], Path, dict[str, Any]]) -> Iterator[Server]:
    """One `manage.py rundev` for the module's tests."""
    env, tmp, report = seeded
    running = start(env, tmp, report, "rundev")
    try:
        yield running
    finally:
        stop(running)


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    """A phone's finding upload: the fields plus one photo."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def send_all_at_once(port: int, token: str, body: bytes, kind: str) -> list[int | str]:
    """POST the body from PHONES threads released together, each on a new connection: status or the error."""
    barrier = threading.Barrier(PHONES)
    headers = {"Authorization": f"Token {token}", "Content-Type": kind}

    def one(_: int) -> int | str:
        barrier.wait()
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            conn.request("POST", "/api/v1/findings/", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException) as exc:
            return repr(exc)
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=PHONES) as pool:
        return list(pool.map(one, range(PHONES)))


def count(database: Path, table: str) -> int:
    """Rows in a table of the server's file (a reader never waits in WAL)."""
    with sqlite3.connect(database) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 -- fixed names


def test_fifty_phones_sending_one_finding_at_once_get_fifty_answers_and_one_finding(server: Server) -> None:
    fields = {
        "uuid": str(uuid.uuid4()),
        "point": str(server.seeded["point"]),
        "category": str(server.seeded["category"]),
        "outcome": "reported",
        "description": "垃圾桶满溢",
        "photo_uuids": str(uuid.uuid4()),
    }
    body, kind = multipart(fields, jpeg_bytes((640, 480), noise=True))

    answers = send_all_at_once(server.port, server.seeded["token"], body, kind)

    errors = [answer for answer in answers if isinstance(answer, str)]
    assert not errors, f"{len(errors)} of {PHONES} got no answer, e.g. {errors[0]}"
    assert answers.count(201) == 1, answers
    assert answers.count(200) == PHONES - 1, answers
    assert count(server.database, "patrols_finding") == 1
    assert count(server.database, "patrols_findingphoto") == 1
    assert count(server.database, "tickets_ticket") == 1
    assert "Traceback" not in server.output()


def test_sqlite_connections_wait_for_the_writer_in_wal_mode(server: Server) -> None:
    assert server.seeded["pragmas"] == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 20_000}


def test_the_server_serves_static_files_without_collectstatic(server: Server) -> None:
    assert get(server.port, "/static/m/app.js") == 200
    assert get(server.port, "/static/no-such-file.js") == 404


def test_the_periodic_jobs_run_once_in_the_serving_process(server: Server) -> None:
    deadline = time.monotonic() + 10
    while count(server.database, "core_workerheartbeat") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert count(server.database, "core_workerheartbeat") == 1
    assert server.output().count("定时任务在进程内运行") == 1


def test_ctrl_c_stops_the_server_cleanly(seeded: tuple[dict[str, str], Path, dict[str, Any]]) -> None:
    env, tmp, report = seeded
    running = start(env, tmp, report, "ctrl-c")
    assert stop(running) == 0
    output = running.output()
    assert "Shutting down: Master" in output
    assert "Traceback" not in output
    with pytest.raises(ConnectionRefusedError):
        get(running.port, "/ping/")
