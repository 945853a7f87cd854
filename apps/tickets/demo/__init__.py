"""Demo and benchmark tickets: the demo's story through the services (story.py), bulk rows for the benchmark
(bench.py)."""

from apps.tickets.demo.bench import build_bench_tickets
from apps.tickets.demo.story import build_demo_tickets, restamp_tickets, settle_demo_tickets

__all__ = ["build_bench_tickets", "build_demo_tickets", "restamp_tickets", "settle_demo_tickets"]
