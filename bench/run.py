"""Benchmark, as one JSON list: requests/s of the point-list API, the ticket, patrol and home pages at scale
(bench/tickets.py) and finding submissions (bench/findings.py) on PostgreSQL versus the trivial /ping/ view,
and the 迎检档案 build versus a plain file copy (bench/binder.py)."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import dj_database_url
import psycopg2
from binder import run_binder_bench  # bench/binder.py: this directory is first on sys.path
from findings import first_point_and_category, metadata_body, photo_body, photo_of_about
from psycopg2 import sql
from results import save_results, with_target  # bench/results.py
from tickets import PATROL_CHECKS, TICKETS, patrol_seed_args, seed_args, session_headers
from tickets import TARGETS as TICKET_TARGETS  # bench/tickets.py

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/chuangwei_bench"
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
WARMUP = 100
# Every finding opens a ticket: fewer than the GETs, so repeated runs do not swell the bench database.
FINDING_REQUESTS = int(os.environ.get("BENCH_FINDING_REQUESTS", "1000"))
HOST = "127.0.0.1"


def log(message: str) -> None:
    """Progress goes to stderr so stdout stays pure JSON."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def fail(message: str) -> NoReturn:
    """Stop with a clear message."""
    log(f"error: {message}")
    sys.exit(1)


def ensure_database(url: str) -> None:
    """Check PostgreSQL answers; create the bench database if only it is missing."""
    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        fail(f"DATABASE_URL must point at PostgreSQL, got {cfg['ENGINE']}")
    params = {
        "user": cfg["USER"],
        "password": cfg["PASSWORD"],
        "host": cfg["HOST"] or HOST,
        "port": cfg["PORT"] or 5432,
        "connect_timeout": 5,
    }
    try:
        psycopg2.connect(dbname=cfg["NAME"], **params).close()
        return
    except psycopg2.OperationalError as exc:
        first_error = exc
    try:
        conn = psycopg2.connect(dbname="postgres", **params)
    except psycopg2.OperationalError:
        fail(
            f"PostgreSQL is unreachable at {params['host']}:{params['port']}: {str(first_error).strip()}\n"
            "       start it, or set DATABASE_URL=postgres://user:password@host:5432/dbname"
        )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cursor.fetchone() is None:
            log(f"creating database {cfg['NAME']}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    conn.close()


def analyze(url: str) -> None:
    """Fresh planner statistics, so a reused bench database is measured as a settled one would be."""
    cfg = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname=cfg["NAME"],
        user=cfg["USER"],
        password=cfg["PASSWORD"],
        host=cfg["HOST"] or HOST,
        port=cfg["PORT"] or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE")
    conn.close()


def server_env(database_url: str) -> dict[str, str]:
    """Production-like settings that still answer plain HTTP on loopback."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # local-memory cache: the number measures the app and PostgreSQL only
    return env


def manage(env: dict[str, str], *args: str) -> None:
    """Run a manage.py command, failing the bench if it fails."""
    log("manage.py " + " ".join(args))
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=sys.stderr, check=False
    )
    if result.returncode != 0:
        fail(f"manage.py {' '.join(args)} exited with {result.returncode}")


def free_port() -> int:
    """Ask the kernel for an unused loopback port."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
    """One request on a fresh connection; `body` is sent as JSON."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if payload else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(proc: subprocess.Popen, port: int, log_path: Path) -> None:
    """Poll /ping/ until gunicorn answers."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"gunicorn exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if request(port, "GET", "/ping/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    fail(f"gunicorn did not answer /ping/ within 60 s:\n{log_path.read_text()[-3000:]}")


def measure(
    port: int,
    path: str,
    headers: dict[str, str],
    total: int,
    body: Callable[[], tuple[bytes, str]] | None = None,
) -> dict[str, Any]:
    """Closed loop: CONCURRENCY threads, each with its own keep-alive connection, share `total` requests.

    GET without `body`; with it, POST what it builds (a new one per request) and expect 201.
    """
    method, expected = ("POST", 201) if body else ("GET", 200)
    # gunicorn's sync workers close after each response; http.client then reconnects by itself.
    shares = [total // CONCURRENCY + (1 if i < total % CONCURRENCY else 0) for i in range(CONCURRENCY)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CONCURRENCY + 1)

    def worker(count: int) -> None:
        """Send `count` requests back to back, recording each latency."""
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        start.wait()
        try:
            for _ in range(count):
                payload, kind = body() if body else (None, "")
                sent = {**headers, "Content-Type": kind} if body else headers
                began = time.perf_counter()
                conn.request(method, path, body=payload, headers=sent)
                response = conn.getresponse()
                response.read()
                mine.append(time.perf_counter() - began)
                if response.status != expected:
                    errors.append(f"{path} → HTTP {response.status}")
                    break
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{path} → {exc!r}")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in shares]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        fail(f"{len(errors)} failed request(s), e.g. {errors[0]}")
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "concurrency": CONCURRENCY,
        "p50_ms": round(cuts[49] * 1000, 2),
        "p95_ms": round(cuts[94] * 1000, 2),
    }


def entry(name: str, result: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    """One JSON record, compared with the baseline measured in the same run."""
    ratio = round(result["rps"] / baseline["rps"], 3)
    tail = {key: result[key] for key in ("requests", "concurrency", "p50_ms", "p95_ms")}
    record = {"name": name, "database": "postgresql", "rps": result["rps"], "baseline_name": "ping"}
    return {**record, "baseline_rps": baseline["rps"], "ratio": ratio, **tail}


FINDING_TARGETS = ("finding_submit_metadata_only", "finding_submit_with_200kb_photo")


def measure_findings(port: int) -> dict[str, dict[str, Any]]:
    """POST new findings as the demo grid worker: metadata only, then with a 200 KB photo."""
    status, body = request(port, "POST", "/api/v1/auth/token/", {"username": "grid", "password": "demo1234"})
    if status != 200:
        fail(f"POST /api/v1/auth/token/ as grid → HTTP {status}: {body[:300]!r}")
    auth = {"Authorization": f"Token {json.loads(body)['token']}"}

    def get(path: str) -> Any:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        conn.request("GET", path, headers=auth)
        return json.loads(conn.getresponse().read())

    point, category = first_point_and_category(get)
    photo = photo_of_about()
    bodies = (metadata_body(point, category), photo_body(point, category, photo))
    results = {}
    for name, build, size in zip(FINDING_TARGETS, bodies, (0, len(photo)), strict=True):
        measure(port, "/api/v1/findings/", auth, WARMUP, build)
        log(f"measuring POST /api/v1/findings/ ({name}): {FINDING_REQUESTS} requests")
        result = measure(port, "/api/v1/findings/", auth, FINDING_REQUESTS, build)
        results[name] = {**result, "photo_bytes": size}
    return results


def in_process(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """bench/inprocess.py's statements and milliseconds for every path, run in a manage.py shell."""
    paths = [("point_list_api_vs_trivial", "GET", "/api/v1/points/", "office")]
    paths += [(name, "GET", path, who) for name, path, _, who in TICKET_TARGETS]
    paths += [("finding_submit_metadata_only", "POST", "/api/v1/findings/", "grid")]
    script = (Path(__file__).parent / "inprocess.py").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        input=json.dumps(paths),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        fail(f"bench/inprocess.py exited with {result.returncode}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    """Prepare the database, measure both endpoints under gunicorn, then the binder build; print JSON."""
    database_url = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    ensure_database(database_url)
    env = server_env(database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo", "--force")
    manage(env, "load_problem_categories")
    manage(env, "load_check_templates")
    log(f"tickets: making sure the bench database holds {TICKETS:,} (generated once, then reused)")
    manage(env, *seed_args())
    log(f"patrols: making sure the bench database holds {PATROL_CHECKS:,} patrol results (generated once)")
    manage(env, *patrol_seed_args())
    analyze(database_url)
    manage(env, "collectstatic", "--noinput", "-v", "0")

    port = free_port()
    cmd = [str(BIN / "gunicorn"), "chuangwei.wsgi", "-b", f"{HOST}:{port}", "-w", "2", "--threads", "1"]
    with tempfile.NamedTemporaryFile(
        "w+", prefix="chuangwei-bench-", suffix=".log", delete=False
    ) as log_file:
        log_path = Path(log_file.name)
        log(f"gunicorn on {HOST}:{port} (log {log_path})")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            wait_until_up(proc, port, log_path)
            credentials = {"username": "office", "password": "demo1234"}
            status, body = request(port, "POST", "/api/v1/auth/token/", credentials)
            if status != 200:
                fail(f"POST /api/v1/auth/token/ as office → HTTP {status}: {body[:300]!r}")
            auth = {"Authorization": f"Token {json.loads(body)['token']}"}
            sessions = {who: session_headers(HOST, port, who, "demo1234") for _, _, _, who in TICKET_TARGETS}
            targets = [("ping", "/ping/", {}), ("point_list_api_vs_trivial", "/api/v1/points/", auth)]
            targets += [
                (name, path, auth if kind == "token" else sessions[who])
                for name, path, kind, who in TICKET_TARGETS
            ]
            results = {}
            for name, path, headers in targets:
                measure(port, path, headers, WARMUP)
                log(f"measuring GET {path}: {REQUESTS} requests, concurrency {CONCURRENCY}")
                results[name] = measure(port, path, headers, REQUESTS)
            results.update(measure_findings(port))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    log_path.unlink(missing_ok=True)
    baseline = results["ping"]
    report = [
        entry("point_list_api_vs_trivial", results["point_list_api_vs_trivial"], baseline),
        entry("ping", baseline, baseline),
    ]
    report += [
        {**entry(name, results[name], baseline), "tickets": TICKETS} for name, _, _, _ in TICKET_TARGETS
    ]
    report += [
        {**entry(name, results[name], baseline), "photo_bytes": results[name]["photo_bytes"]}
        for name in FINDING_TARGETS
    ]
    log("in-process: statements and time per path (Django test client, no HTTP)")
    measured = in_process(env)
    report = [{**record, **measured.get(record["name"], {})} for record in report]
    log("binder: 迎检档案 build versus plain copy")
    report.append(run_binder_bench())
    report = [with_target(record) for record in report]
    text = json.dumps(report, ensure_ascii=False, indent=2)
    saved = save_results(text)
    log(f"results written to {saved.relative_to(ROOT)}")
    print(text)


if __name__ == "__main__":
    main()
