"""Benchmark of the result importer: 1,000,000 CSV rows into PostgreSQL, COPY vs bulk_create.

`run()` builds (once, cached under var/bench/) a canonical CSV of 1,000,000 rows and an XLSX of
100,000 rows, recreates the PostgreSQL database `opora_bench_results`, and runs the measurements
in a subprocess with that database. Printed figures:

    bench: import.copy = N rows/s              the importer: read, check, pseudonymise, COPY,
                                               commit (`streaming.import_results`)
    bench: import.copy_vs_bulk_create = X x
    bench: import.bulk_create = N rows/s       baseline: csv module + model objects + bulk_create
    bench: import.xlsx_100k = S s              read and check a 100,000-row XLSX

Comment lines (`# …`) give the marks of the import (file read and ordered, last slice checked
and queued, committed) and the machine's load average, since the figures depend on how many
cores are free.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
CSV_PATH = BENCH_DIR / "results_1m.csv"
XLSX_PATH = BENCH_DIR / "results_100k.xlsx"
DB_NAME = "opora_bench_results"
SCHOOLS = 500
ROWS = 1_000_000
XLSX_ROWS = 100_000
HEADER = {
    "school_code": "Код школы",
    "procedure": "Процедура",
    "subject": "Предмет",
    "year": "Год",
    "period": "Период",
    "grade": "Параллель",
    "class_label": "Класс",
    "student_id": "Код участника",
    "primary_score": "Первичный балл",
    "mark": "Отметка",
    "test_score": "Тестовый балл",
    "task_scores": "Баллы по заданиям",
    "journal_mark_term": "Отметка за четверть",
    "journal_mark_year": "Годовая отметка",
}
# (procedure, subject, grade) by row index modulo 5; a student has one row of each.
COMBOS = [
    ("ВПР", "Русский язык", 5),
    ("ВПР", "Математика", 5),
    ("ОГЭ", "Русский язык", 9),
    ("ОГЭ", "Математика", 9),
    ("ЕГЭ", "Русский язык", 11),
]


def generate_frame(rows: int) -> pl.DataFrame:
    """Deterministic canonical rows: 5 results per student, 500 schools, years 2020–2023."""
    i = pl.int_range(rows, dtype=pl.Int64)
    k = i % 5
    student = i // 5
    tasks = [((i * (7 + j) + student) % 3) for j in range(8)]
    primary = pl.sum_horizontal(tasks)
    mark = (primary // 4 + 2).clip(2, 5)
    frame = pl.select(
        pl.format("b{}", (student % SCHOOLS).cast(pl.String).str.zfill(4)).alias("school_code"),
        k.alias("k"),
        (2020 + student % 4).cast(pl.String).alias("year"),
        pl.lit("основной").alias("period"),
        pl.format("S{}", student).alias("student_id"),
        primary.cast(pl.String).alias("primary_score"),
        mark.cast(pl.String).alias("mark"),
        pl.concat_str([t.cast(pl.String) for t in tasks], separator=";").alias("task_scores"),
        ((mark + (i % 3 == 0).cast(pl.Int64)).clip(2, 5)).cast(pl.String).alias("journal_term"),
        mark.cast(pl.String).alias("journal_year"),
        ((i * 13) % 80 + 20).cast(pl.String).alias("test_score"),
    )
    frame = frame.with_columns(
        pl.col("k")
        .replace_strict({n: str(c[part]) for n, c in enumerate(COMBOS)}, return_dtype=pl.String)
        .alias(name)
        for part, name in enumerate(("procedure", "subject", "grade"))
    )
    is_ege = pl.col("k") == 4
    return frame.select(
        "school_code",
        "procedure",
        "subject",
        "year",
        "period",
        "grade",
        pl.concat_str("grade", pl.lit("А")).alias("class_label"),
        "student_id",
        pl.when(is_ege).then(None).otherwise(pl.col("primary_score")).alias("primary_score"),
        pl.when(is_ege).then(None).otherwise(pl.col("mark")).alias("mark"),
        pl.when(is_ege).then(pl.col("test_score")).alias("test_score"),
        pl.when(is_ege).then(None).otherwise(pl.col("task_scores")).alias("task_scores"),
        pl.col("journal_term").alias("journal_mark_term"),
        pl.col("journal_year").alias("journal_mark_year"),
    ).rename(HEADER)


def ensure_files() -> None:
    """Write the CSV and the XLSX once; later runs reuse them."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not CSV_PATH.exists():
        generate_frame(ROWS).write_csv(CSV_PATH, separator=";")
    if not XLSX_PATH.exists():
        import xlsxwriter

        frame = generate_frame(XLSX_ROWS)
        book = xlsxwriter.Workbook(str(XLSX_PATH), {"constant_memory": True})
        sheet = book.add_worksheet("Результаты")
        sheet.write_row(0, 0, frame.columns)
        for number, row in enumerate(frame.iter_rows(), start=1):
            sheet.write_row(number, 0, ["" if v is None else v for v in row])
        book.close()


def _database_url(name: str) -> str:
    base = os.environ.get("OPORA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def run() -> None:
    """Prepare files and a fresh database, then measure in a subprocess."""
    ensure_files()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(DB_NAME),
        "DJANGO_SETTINGS_MODULE": "opora.config.settings",
        "DJANGO_SECRET_KEY": "bench-secret",
        "DJANGO_DEBUG": "0",
        "OPORA_PSEUDONYM_SECRET": "bench-pseudonym-secret",
    }
    import psycopg

    with psycopg.connect(_database_url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    opora = str(Path(sys.executable).with_name("opora"))
    subprocess.run([opora, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [sys.executable, "-m", "bench.import_results", "--worker"], env=env, check=True, cwd=ROOT
    )


def _setup_territory() -> None:
    from opora.assessment.services import reference_load
    from opora.core.models import AuditEntry
    from opora.territory.models import Municipality, Region, School

    region = Region.objects.create(code="BR", name="Область для замеров")
    municipality = Municipality.objects.create(
        region=region, code="BM", name="Район для замеров", kind="district"
    )
    School.objects.bulk_create(
        School(
            code=f"b{n:04d}",
            full_name=f"Школа замеров {n}",
            short_name=f"Школа {n}",
            school_type="sosh",
            municipality=municipality,
        )
        for n in range(SCHOOLS)
    )
    reference_load(actor=None, source=AuditEntry.Source.CLI)


def _baseline(path: Path) -> float:
    """Plain Django: csv rows → model objects → bulk_create(batch_size=5000); rows per second."""
    import csv

    from django.db import transaction

    from opora.assessment.models import ImportBatch, StudentResult
    from opora.territory.models import School

    started = time.perf_counter()
    schools = dict(School.objects.values_list("code", "id"))
    procedures = {"ВПР": "vpr", "ОГЭ": "oge", "ЕГЭ": "ege"}
    subjects = {"Русский язык": "rus", "Математика": "math"}

    def number(text: str) -> int | None:
        return int(text) if text else None

    with transaction.atomic(), path.open(encoding="utf-8") as handle:
        batch = ImportBatch.objects.create(file_name=path.name, sha256="-", format="canonical")
        reader = csv.DictReader(handle, delimiter=";")
        objects: list[StudentResult] = []
        count = 0
        for row in reader:
            tasks = row["Баллы по заданиям"]
            objects.append(
                StudentResult(
                    student_key=row["Код участника"],
                    school_id=schools[row["Код школы"]],
                    grade=int(row["Параллель"]),
                    class_label=row["Класс"],
                    procedure_id=procedures[row["Процедура"]],
                    subject_id=subjects[row["Предмет"]],
                    year=int(row["Год"]),
                    period="main",
                    primary_score=number(row["Первичный балл"]),
                    mark=number(row["Отметка"]),
                    test_score=number(row["Тестовый балл"]),
                    task_scores=[int(t) for t in tasks.split(";")] if tasks else None,
                    journal_mark_term=number(row["Отметка за четверть"]),
                    journal_mark_year=number(row["Годовая отметка"]),
                    batch=batch,
                )
            )
            if len(objects) == 5000:
                StudentResult.objects.bulk_create(objects, batch_size=5000)
                count += len(objects)
                objects = []
        StudentResult.objects.bulk_create(objects, batch_size=5000)
        count += len(objects)
    return count / (time.perf_counter() - started)


def worker() -> None:
    """Runs inside the bench database: set up, then measure COPY, bulk_create and XLSX."""
    import django

    django.setup()
    from django.db import connection

    from opora.assessment.importers import parse_results
    from opora.assessment.streaming import import_results
    from opora.core.models import AuditEntry

    _setup_territory()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# load average before: {load} on {os.cpu_count()} cores", flush=True)
    marks: list[float] = []

    def progress(done: int, total: int) -> None:
        if done in (0, total):  # read and ordered; every slice checked and queued
            marks.append(time.perf_counter())

    started = time.perf_counter()
    parsed, batch = import_results(
        actor=None,
        data=CSV_PATH.read_bytes(),
        file_name=CSV_PATH.name,
        source=AuditEntry.Source.CLI,
        progress=progress,
    )
    elapsed = time.perf_counter() - started
    if batch is None:
        raise SystemExit("bench file has errors: " + "; ".join(map(str, parsed.errors[:5])))
    copy_rate = batch.rows_written / elapsed
    print(
        f"# import (read, check and COPY overlap): read and ordered {marks[0] - started:.2f} s, "
        f"last slice sent {marks[-1] - started:.2f} s, committed {elapsed:.2f} s"
    )
    print(f"bench: import.copy = {copy_rate:.0f} rows/s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE assessment_studentresult")
    started = time.perf_counter()
    bulk_rate = _baseline(CSV_PATH)
    print(f"# bulk_create: {time.perf_counter() - started:.1f} s", flush=True)
    print(f"bench: import.bulk_create = {bulk_rate:.0f} rows/s", flush=True)
    print(f"bench: import.copy_vs_bulk_create = {copy_rate / bulk_rate:.1f} x", flush=True)
    with connection.cursor() as cursor:  # an empty table, as for the CSV import
        cursor.execute("TRUNCATE assessment_studentresult")
    started = time.perf_counter()
    parsed = parse_results(XLSX_PATH.read_bytes(), XLSX_PATH.name)
    if parsed.errors or parsed.frame.height != XLSX_ROWS:
        raise SystemExit("bench XLSX not read: " + "; ".join(map(str, parsed.errors[:5])))
    print(f"bench: import.xlsx_100k = {time.perf_counter() - started:.2f} s", flush=True)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# load average after: {load}", flush=True)


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        run()
