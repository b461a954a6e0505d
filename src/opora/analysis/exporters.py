"""The registry export (реестр школ – участников программы) as XLSX or CSV, Russian headers.

One contract for the page, the command and any later document: `render_registry(run, lines,
fmt) -> (filename, mimetype, bytes)`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from opora.analysis.choices import Cluster
from opora.analysis.models import AnalysisRun, RunSchool

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
CLUSTERS = dict(Cluster.choices)

# (header, width, getter)
COLUMNS: list[tuple[str, int, Any]] = [
    ("№", 5, None),
    ("Муниципалитет", 24, lambda r: r.school.municipality.name),
    ("Код школы", 12, lambda r: r.school.code),
    ("Школа", 40, lambda r: r.school.short_name),
    ("Кластеры", 18, lambda r: ", ".join(CLUSTERS.get(c, c) for c in r.cluster_codes)),
    ("ШНОР", 7, lambda r: "да" if r.is_shnor else ""),
    ("ССУ", 7, lambda r: "да" if r.is_ssu else ""),
    ("Сводный результат Z", 11, lambda r: _num(r.figures.get("zshr"), 2)),
    ("Процентиль в регионе", 11, lambda r: _num(_pct(r.figures.get("pct")), 0)),
    ("ИСБШ", 8, lambda r: _num(r.figures.get("isb"), 1)),
    ("Процентиль ИСБШ", 10, lambda r: _num(r.figures.get("isb_percentile"), 0)),
    ("Контекстный эффект CE", 11, lambda r: _num(r.figures.get("ce"), 2)),
    (
        "Признаки необъективности",
        14,
        lambda r: ", ".join(r.figures.get("markers") or []) if r.has_signs else "",
    ),
    ("Риск снижения", 8, lambda r: "да" if r.decline else ""),
    ("Основания", 90, lambda r: "\n".join(r.reasons)),
]


def _pct(value: Any) -> Any:
    return None if value is None else value * 100


def _num(value: Any, digits: int) -> float | None:
    if value is None:
        return None
    return round(float(value), digits)


def rows(lines: Sequence[RunSchool]) -> list[list[Any]]:
    """The export rows (numbers as numbers) in registry order."""
    out = []
    for number, line in enumerate(lines, start=1):
        out.append([number if getter is None else getter(line) for _, _, getter in COLUMNS])
    return out


def title(run: AnalysisRun) -> str:
    status = "официальный" if run.is_official else "проект"
    return (
        f"Реестр школ – участников программы, {run.year} год ({status}); методика "
        f"«{run.methodology_name}» версии {run.methodology_version}, запуск №{run.pk} от "
        f"{run.started_at:%d.%m.%Y}"
    )


def render_registry(
    run: AnalysisRun, lines: Sequence[RunSchool], fmt: str
) -> tuple[str, str, bytes]:
    """The registry file: name, MIME type and content."""
    if fmt not in FORMATS:
        raise ValueError(f"Формат «{fmt}» не поддерживается: xlsx или csv.")
    filename = f"reestr-{run.year}-run{run.pk}.{fmt}"
    data = rows(lines)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([header for header, _, _ in COLUMNS])
        for row in data:
            writer.writerow(
                [
                    "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
                    for v in row
                ]
            )
        return filename, FORMATS[fmt], buffer.getvalue().encode("utf-8-sig")
    return filename, FORMATS[fmt], _xlsx(run, data)


def _xlsx(run: AnalysisRun, data: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Реестр")
    bold = book.add_format({"bold": True, "font_size": 12})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#E8EEF4"}
    )
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"valign": "top", "border": 1, "num_format": "0.00"})
    sheet.write(0, 0, title(run), bold)
    if run.warnings:
        sheet.write(1, 0, "Предупреждения: " + "; ".join(run.warnings))
    header_row = 3
    for col, (header, width, _) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write(header_row, col, header, head)
    for r, row in enumerate(data, start=header_row + 1):
        for c, value in enumerate(row):
            if value is None:
                sheet.write_blank(r, c, None, cell)
            elif isinstance(value, float):
                sheet.write_number(r, c, value, number)
            else:
                sheet.write(r, c, value, cell)
    sheet.freeze_panes(header_row + 1, 4)
    sheet.autofilter(header_row, 0, header_row + max(len(data), 1), len(COLUMNS) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    book.close()
    return buffer.getvalue()
