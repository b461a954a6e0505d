"""Benchmark of the registry pages: the school list and a school card, server time and queries.

`run()` recreates two PostgreSQL databases, generates a demo region of 1,500 schools in one and
of 400 in the other (`opora.demo.generator.generate_demo`), and measures in a subprocess per
database with the Django test client logged in as the regional administrator: 5 warm-up and 50
timed requests per page. Printed figures (medians):

    bench: pages.school_list = X ms                the list, first page, sorted by name
    bench: pages.school_list_by_students = X ms    the list sorted by students (all rows ranked)
    bench: pages.school_card = X ms                the card of a school with five years of data
    bench: pages.school_list_queries = N queries
    bench: pages.school_card_queries = N queries
    bench: pages.school_list_1500_vs_400 = X x     list time, 1,500 schools over 400 schools
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
WARMUP = 5
REQUESTS = 50
SIZES = {1500: "opora_bench_pages", 400: "opora_bench_pages_400"}
RESULT_PREFIX = "bench-pages-result: "


def _database_url(name: str) -> str:
    base = os.environ.get("OPORA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def _measure_in_subprocess(schools: int, db_name: str) -> dict[str, Any]:
    """Recreate `db_name`, migrate it and run the worker; return its figures."""
    import psycopg

    with psycopg.connect(_database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db_name}")
        conn.execute(f"CREATE DATABASE {db_name}")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(db_name),
        "DJANGO_SETTINGS_MODULE": "opora.config.settings",
        "DJANGO_SECRET_KEY": "bench-secret",
        "DJANGO_DEBUG": "0",
        # persistent connections, as a production server runs; a new connection per request
        # would add the connect time (about 10 ms here) to every figure
        "DATABASE_CONN_MAX_AGE": "600",
        "OPORA_PSEUDONYM_SECRET": "bench-pseudonym-secret",
    }
    opora = str(Path(sys.executable).with_name("opora"))
    subprocess.run([opora, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.pages", "--worker", str(schools)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(completed.stderr)
    result = None
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = dict(json.loads(line[len(RESULT_PREFIX) :]))
        else:
            print(line, flush=True)
    if result is not None:
        return result
    raise RuntimeError(f"the page benchmark worker printed no result:\n{completed.stdout}")


def run() -> None:
    """Measure both region sizes and print the figures."""
    results = {schools: _measure_in_subprocess(schools, db) for schools, db in SIZES.items()}
    big, small = results[1500], results[400]
    print(f"bench: pages.school_list = {big['list_ms']:.1f} ms")
    print(f"bench: pages.school_list_by_students = {big['list_sorted_ms']:.1f} ms")
    print(f"bench: pages.school_card = {big['card_ms']:.1f} ms")
    print(f"bench: pages.school_list_queries = {big['list_queries']} queries")
    print(f"bench: pages.school_card_queries = {big['card_queries']} queries")
    print(f"bench: pages.school_list_400 = {small['list_ms']:.1f} ms")
    print(f"bench: pages.school_list_queries_400 = {small['list_queries']} queries")
    print(f"bench: pages.school_list_1500_vs_400 = {big['list_ms'] / small['list_ms']:.2f} x")


def _median_ms(client: Any, url: str) -> float:
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return statistics.median(timings)


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def _worker(schools: int) -> None:
    """Inside the subprocess: generate the region and time the pages."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from opora.accounts.models import User
    from opora.demo.generator import generate_demo
    from opora.territory.models import School

    started = time.perf_counter()
    generate_demo(SEED, schools=schools)
    print(f"# generated {schools} schools in {time.perf_counter() - started:.1f} s", flush=True)
    assert School.objects.count() == schools
    with connection.cursor() as cursor:
        # planner statistics, as autovacuum would gather on a live server
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username="demo-region"))
    school = School.objects.order_by("code")[schools // 2]
    list_url, card_url = "/schools/", f"/schools/{school.pk}/"
    sorted_url = "/schools/?sort=-students"
    figures = {
        "list_ms": _median_ms(client, list_url),
        "list_sorted_ms": _median_ms(client, sorted_url),
        "card_ms": _median_ms(client, card_url),
        "list_queries": _queries(client, list_url),
        "card_queries": _queries(client, card_url),
    }
    print(RESULT_PREFIX + json.dumps(figures), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        _worker(int(sys.argv[2]))
    else:
        run()
