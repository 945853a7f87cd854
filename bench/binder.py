"""Benchmark: binder_build (迎检档案 ZIP) against a plain copy of the same files: wall time and peak memory.

A campaign on the 2021 standard's shape (7 categories, 45 items) gets 20 approved ~100 KB files per item; a
second campaign reuses 5 of them per item. Every measurement runs in a fresh process: wall time and the
process's peak RSS (os.wait4) from one run, the Python heap peak (tracemalloc) from another, since tracing
slows the code down. Flat memory shows as a 20-per-item / 5-per-item ratio near 1.0.

Runs on a throw-away SQLite file (SQLITE_PATH) with MEDIA_ROOT and TMPDIR in the same temporary directory,
so the finished ZIP is moved into storage by a rename, as on a server whose temp and media share a disk.
Called from run.py; `python bench/binder.py` alone prints just this section.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The shipped 2021 standard's shape: 7 categories, 45 items (see fixtures/standards/nhc2021.json).
ITEMS_PER_CATEGORY = [4, 5, 9, 6, 5, 9, 7]
CATEGORIES = [
    "爱国卫生组织管理",
    "健康教育和健康促进",
    "市容环境卫生",
    "生态环境",
    "重点场所卫生",
    "食品和生活饮用水安全",
    "疾病防控与医疗卫生服务",
]
SIZES = [5, 20]
FILE_KB = int(os.environ.get("BENCH_BINDER_FILE_KB", "100"))


def log(message: str) -> None:
    """Progress goes to stderr so stdout stays pure JSON."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- the parent: prepare, measure in child processes, report --------------------------------------


def child_env(workdir: Path) -> dict[str, str]:
    """Production-like settings on a throw-away SQLite database (DEBUG off: no query log in memory)."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "MEDIA_ROOT": str(workdir / "media"),
        "TMPDIR": str(workdir / "tmp"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


def child(env: dict[str, str], *args: str) -> tuple[dict[str, Any], int]:
    """Run this file with `args` in a fresh process; return its JSON answer and its own peak RSS in KiB."""
    proc = subprocess.Popen(
        [sys.executable, __file__, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=sys.stderr
    )
    out = proc.stdout.read() if proc.stdout else b""
    # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the maximum over all children so far.
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stdout:
        proc.stdout.close()
    if proc.returncode != 0:
        raise RuntimeError(f"bench/binder.py {' '.join(args)} exited with {proc.returncode}")
    return json.loads(out), usage.ru_maxrss


def measure(env: dict[str, str], mode: str, campaign_id: int) -> dict[str, Any]:
    """One timed run and one traced run of `mode` (build or copy), each in its own process."""
    timed, rss_kib = child(env, mode, str(campaign_id))
    traced, _ = child(env, mode, str(campaign_id), "--trace")
    return {
        "seconds": timed["seconds"],
        "files": timed["files"],
        "peak_rss_mb": round(rss_kib / 1024, 1),
        "heap_peak_mb": round(traced["heap_peak"] / 2**20, 2),
    }


def ratio(a: float, b: float) -> float:
    """a / b, rounded for the report."""
    return round(a / b, 3) if b else 0.0


def run_binder_bench() -> dict[str, Any]:
    """Prepare the data, measure build and copy for both sizes, and return one JSON record."""
    with tempfile.TemporaryDirectory(prefix="chuangwei-binder-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "tmp").mkdir()
        env = child_env(workdir)
        log("binder: migrating a throw-away SQLite database")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        log(f"binder: writing 45 × {max(SIZES)} files of ~{FILE_KB} KB")
        campaigns, _ = child(env, "setup")
        results = {}
        for size in SIZES:
            campaign_id = campaigns[str(size)]
            log(f"binder: measuring copy and build of 45 × {size} files")
            results[size] = {
                "copy": measure(env, "copy", campaign_id),
                "build": measure(env, "build", campaign_id),
            }
    return report(results)


def report(results: dict[int, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """The binder record: times, build/copy ratios, peak memory per size and the memory ratios."""
    small, large = results[SIZES[0]], results[SIZES[-1]]
    record: dict[str, Any] = {
        "name": "binder_build_vs_copy",
        "database": "sqlite",
        "baseline_name": "copy (shutil.copyfileobj of the same files into a temp dir)",
        "shape": "2021-like: 7 categories, 45 items",
        "file_kb": FILE_KB,
    }
    for size, result in results.items():
        build, copy = result["build"], result["copy"]
        record[f"per_item_{size}"] = {
            "files": build["files"],
            "build_seconds": build["seconds"],
            "copy_seconds": copy["seconds"],
            "ratio": ratio(build["seconds"], copy["seconds"]),
            "build_peak_rss_mb": build["peak_rss_mb"],
            "copy_peak_rss_mb": copy["peak_rss_mb"],
            "build_heap_peak_mb": build["heap_peak_mb"],
            "copy_heap_peak_mb": copy["heap_peak_mb"],
        }
    record["memory_ratio_rss"] = ratio(large["build"]["peak_rss_mb"], small["build"]["peak_rss_mb"])
    record["memory_ratio_heap"] = ratio(large["build"]["heap_peak_mb"], small["build"]["heap_peak_mb"])
    return record


# --- the children: Django in a fresh process ------------------------------------------------------


def setup_django() -> None:
    """Configure Django from the environment the parent prepared."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwei.settings")
    import django

    django.setup()


def make_standard() -> list[Any]:
    """A standard of the 2021 shape; returns its items, each with a per-year and a one-off requirement."""
    from apps.checklists.models import Category, Item, Requirement, Standard

    standard = Standard.objects.create(code="BENCH2021", name="国家卫生城市标准（2021版）基准")
    items = []
    number = 0
    for order, (name, count) in enumerate(zip(CATEGORIES, ITEMS_PER_CATEGORY, strict=True), start=1):
        category = Category.objects.create(standard=standard, code=f"B{order}", name=name, order=order)
        for _ in range(count):
            number += 1
            item = Item.objects.create(
                standard=standard,
                category=category,
                code=f"N21-{number:02d}",
                order=number,
                title=f"条款{number}",
            )
            Requirement.objects.create(item=item, order=1, name="工作台账", per_year=True)
            Requirement.objects.create(item=item, order=2, name="制度文件")
            items.append(item)
    return items


def write_files(items: list[Any], per_item: int) -> list[list[tuple[str, int]]]:
    """Random (incompressible, like scans) ~FILE_KB files written straight to storage, per item."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stored = []
    for item in items:
        names = []
        for n in range(per_item):
            content = os.urandom(FILE_KB * 1024 + n * 37)
            names.append(
                (
                    default_storage.save(f"evidence/bench/{item.code}-{n:02d}.pdf", ContentFile(content)),
                    len(content),
                )
            )
        stored.append(names)
    return stored


def make_campaign(name: str, items: list[Any], files: list[list[tuple[str, int]]], per_item: int) -> int:
    """A campaign with one task per item and `per_item` approved evidence rows on the stored files."""
    from datetime import date

    from apps.accounts.models import User
    from apps.checklists.models import Campaign, Evidence, EvidenceStatus, FileKind, Task
    from apps.regions.models import Unit, UnitType

    office = User.objects.get_or_create(username="bench_office")[0]
    unit = Unit.objects.get_or_create(name="基准牵头单位", defaults={"type": UnitType.AIWEI})[0]
    standard = items[0].standard
    campaign = Campaign.objects.create(
        name=name, standard=standard, starts_on=date(2025, 1, 1), inspection_on=date(2027, 6, 30)
    )
    rows = []
    for item, stored in zip(items, files, strict=True):
        task = Task.objects.create(campaign=campaign, item=item, lead_unit=unit, deadline=date(2027, 3, 31))
        per_year, once = list(item.requirements.order_by("order"))
        for n, (path, size) in enumerate(stored[:per_item]):
            requirement, year = (per_year, 2025 + n % 3) if n % 4 else (once, None)
            rows.append(
                Evidence(
                    task=task,
                    requirement=requirement,
                    year=year,
                    file=path,
                    original_name=f"{n}.pdf",
                    kind=FileKind.PDF,
                    size=size,
                    sha256="0" * 64,
                    uploaded_by=office,
                    status=EvidenceStatus.APPROVED,
                )
            )
    Evidence.objects.bulk_create(rows, batch_size=500)
    return campaign.pk


def do_setup() -> dict[str, Any]:
    """Create the standard, the files and one campaign per size."""
    items = make_standard()
    files = write_files(items, max(SIZES))
    return {str(size): make_campaign(f"基准创建周期 {size}", items, files, size) for size in SIZES}


def do_build(campaign_id: int) -> dict[str, Any]:
    """binder_build on a fresh export of the campaign; the ZIP is deleted afterwards to spare the disk."""
    from apps.accounts.models import User
    from apps.checklists.models import BinderExport, ExportStatus
    from apps.checklists.services import binder_build

    export = BinderExport.objects.create(
        campaign_id=campaign_id, requested_by=User.objects.get(username="bench_office")
    )
    began = time.perf_counter()
    export = binder_build(export_id=export.pk)
    seconds = time.perf_counter() - began
    if export.status != ExportStatus.DONE:
        raise RuntimeError(f"binder_build failed: {export.error}")
    export.file.delete(save=False)
    return {"seconds": round(seconds, 3), "files": export.file_count}


def do_copy(campaign_id: int) -> dict[str, Any]:
    """The baseline: copy the campaign's approved files, one by one, into a temporary directory."""
    import shutil

    from django.core.files.storage import default_storage

    from apps.checklists.models import Evidence

    names = Evidence.objects.approved().filter(task__campaign=campaign_id).values_list("file", flat=True)
    count = 0
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as target:
        for n, name in enumerate(names.iterator()):
            with default_storage.open(name, "rb") as source, open(Path(target) / f"{n}.pdf", "wb") as copy:
                shutil.copyfileobj(source, copy)
            count += 1
        seconds = time.perf_counter() - began
    return {"seconds": round(seconds, 3), "files": count}


def child_main(args: list[str]) -> None:
    """Run one step in this fresh process and print its JSON answer."""
    setup_django()
    mode, rest = args[0], args[1:]
    if mode == "setup":
        print(json.dumps(do_setup()))
        return
    step = {"build": do_build, "copy": do_copy}[mode]
    if "--trace" in rest:
        import tracemalloc

        tracemalloc.start()
        answer = step(int(rest[0]))
        answer["heap_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        answer = step(int(rest[0]))
    print(json.dumps(answer))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        child_main(sys.argv[1:])
    else:
        print(json.dumps(run_binder_bench(), ensure_ascii=False, indent=2))
