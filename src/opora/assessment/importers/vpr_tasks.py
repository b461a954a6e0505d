"""Task scores of one ВПР form sheet, checked as Polars expressions over every cell at once.

A task cell holds a whole score from 0 to the task's maximum (the «Максимальный балл» row) or
«X»/«-»/«н» for a task not attempted; «Сумма баллов» must equal the sum of the task scores.
The output is the sheet in canonical text columns, ready for `checks.validate`.
"""

import polars as pl

from opora.assessment.importers.base import ErrorCollector, ReferenceContext
from opora.assessment.importers.vpr_labels import SheetFacts
from opora.assessment.importers.vpr_layout import Layout
from opora.assessment.importers.workbook import parse_class
from opora.core.importing.headers import column_letter

SKIPPED = ["x", "х", "-", "–", "—", "н", "n"]
_WHOLE = r"^\d{1,3}(?:[.,]0+)?$"


def _cell(rows: list[list[str]], row: int, position: int | None) -> str:
    if position is None or position >= len(rows[row]):
        return ""
    return rows[row][position]


def _whole(expr: pl.Expr) -> pl.Expr:
    """Whole numbers written as «3», «3,0» or «3.0»; anything else null."""
    return (
        pl.when(expr.str.contains(_WHOLE))
        .then(expr.str.replace(r"[.,]0+$", "").cast(pl.Int64, strict=False))
        .otherwise(None)
    )


def _maxima(
    sheet: str,
    rows: list[list[str]],
    layout: Layout,
    facts: SheetFacts,
    procedure: str,
    context: ReferenceContext,
    errors: ErrorCollector,
) -> list[int | None]:
    """The «Максимальный балл» of each task (None where not given), checked."""
    if layout.max_row is None:
        return [None] * len(layout.tasks)
    maxima: list[int | None] = []
    for position, label in layout.tasks:
        text = _cell(rows, layout.max_row, position)
        value = int(text) if text.isdigit() else None
        if text and (value is None or value == 0):
            errors.cell_error(
                sheet,
                layout.max_row + 1,
                column_letter(position),
                label,
                text,
                "ожидается максимальный балл задания — целое число больше 0",
            )
        maxima.append(value)
    known = context.values.filter(
        (pl.col("year") == facts.year)
        & (pl.col("procedure_id") == procedure)
        & (pl.col("subject_id") == facts.subject)
    ).get_column("max_primary_score")
    reference = known.item(0) if known.len() else None
    if reference is not None and maxima and all(m is not None for m in maxima):
        total = sum(m for m in maxima if m is not None)
        if total != reference:
            errors.cell_error(
                sheet,
                layout.max_row + 1,
                "",
                "Максимальный балл",
                str(total),
                f"сумма максимальных баллов заданий не равна максимальному первичному баллу "
                f"по справочнику ({reference}): проверьте версию формы",
            )
    return maxima


def sheet_rows(
    sheet: str,
    rows: list[list[str]],
    layout: Layout,
    body: list[int],
    facts: SheetFacts,
    procedure: str,
    context: ReferenceContext,
    errors: ErrorCollector,
) -> tuple[pl.DataFrame, int]:
    """The participants of one sheet as canonical text rows, and how many were absent."""
    maxima = _maxima(sheet, rows, layout, facts, procedure, context, errors)
    fields = ("code", "total", "mark", "journal_mark_term", "journal_mark_year", "class_label")
    table = pl.DataFrame(
        {
            "__row": [n + 1 for n in body],
            **{
                name: [
                    _cell(
                        rows, n, layout.code_position if name == "code" else layout.fields.get(name)
                    )
                    for n in body
                ]
                for name in fields
            },
            **{
                f"t{i}": [_cell(rows, n, position) for n in body]
                for i, (position, _) in enumerate(layout.tasks)
            },
        },
        schema={
            "__row": pl.Int64,
            **dict.fromkeys(fields, pl.String),
            **{f"t{i}": pl.String for i in range(len(layout.tasks))},
        },
    ).with_columns(pl.lit(sheet).alias("__sheet"))
    result_cells = [f"t{i}" for i in range(len(layout.tasks))] + ["total", "mark"]
    present = pl.any_horizontal(pl.col(c) != "" for c in result_cells)
    skipped = table.filter(~present).height
    table = table.filter(present)
    code_header = layout.headers.get("code", "№")
    _missing_code(table, layout, code_header, errors)
    tasks = _task_cells(table, layout, maxima, errors)
    table = table.join(tasks, on="__row", how="left", maintain_order="left")
    total = _whole(pl.col("total"))
    with_tasks = pl.col("_filled") > 0
    errors.check(
        table.with_columns(
            pl.lit(layout.letter("total")).alias("__letter"),
            pl.lit(layout.headers.get("total", "")).alias("__header"),
            pl.format("сумма баллов не равна сумме баллов по заданиям ({})", pl.col("_sum")).alias(
                "_message"
            ),
        ),
        (pl.col("total") != "") & total.is_not_null() & with_tasks & (total != pl.col("_sum")),
        "total",
        message_column="_message",
        letter_column="__letter",
        header_column="__header",
    )
    class_column = _class_labels(table, layout, facts, errors)
    blank = pl.lit(None, pl.String)
    out = table.select(
        pl.lit(facts.school_code).alias("school_code"),
        pl.lit(procedure).alias("procedure"),
        pl.lit(facts.subject).alias("subject"),
        pl.lit(str(facts.year)).alias("year"),
        pl.lit(facts.period).alias("period"),
        pl.lit(str(facts.grade)).alias("grade"),
        class_column.alias("class_label"),
        pl.format("{}:{}:{}", pl.lit(facts.school_code), pl.lit(facts.year), pl.col("code")).alias(
            "student_id"
        ),
        pl.when(with_tasks)
        .then(pl.col("_sum").cast(pl.String))
        .otherwise(pl.col("total"))
        .alias("primary_score"),
        pl.col("mark"),
        blank.alias("test_score"),
        blank.alias("passed"),
        pl.when(with_tasks).then(pl.col("_tasks")).otherwise(None).alias("task_scores"),
        pl.col("journal_mark_term"),
        pl.col("journal_mark_year"),
        blank.alias("medal"),
        pl.lit(facts.controlled, pl.String).alias("controlled"),
        "__sheet",
        "__row",
    )
    texts = [c for c in out.columns if c not in ("__row",)]
    return out.with_columns(
        pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in texts
    ), skipped


def _missing_code(table: pl.DataFrame, layout: Layout, header: str, errors: ErrorCollector) -> None:
    errors.check(
        table.with_columns(
            pl.lit(layout.letter("code")).alias("__letter"), pl.lit(header).alias("__header")
        ),
        pl.col("code") == "",
        "code",
        "не заполнен код участника, а баллы есть",
        letter_column="__letter",
        header_column="__header",
    )


def _task_cells(
    table: pl.DataFrame, layout: Layout, maxima: list[int | None], errors: ErrorCollector
) -> pl.DataFrame:
    """Per row: tasks as «1;0;x;2» text, their sum and how many task cells were filled."""
    names = [f"t{i}" for i in range(len(layout.tasks))]
    if not names:
        return table.select(
            "__row",
            pl.lit(None, pl.String).alias("_tasks"),
            pl.lit(0, pl.Int64).alias("_sum"),
            pl.lit(0, pl.UInt32).alias("_filled"),
        )
    where = pl.DataFrame(
        {
            "task": names,
            "__letter": [column_letter(p) for p, _ in layout.tasks],
            "__header": [label for _, label in layout.tasks],
            "_max": maxima,
            "_order": list(range(len(names))),
        },
        schema={
            "task": pl.String,
            "__letter": pl.String,
            "__header": pl.String,
            "_max": pl.Int64,
            "_order": pl.Int64,
        },
    )
    cells = (
        table.unpivot(names, index=["__row", "__sheet"], variable_name="task", value_name="value")
        .join(where, on="task", how="left")
        .with_columns(
            _whole(pl.col("value")).alias("_score"),
            pl.col("value").str.to_lowercase().is_in(SKIPPED).alias("_skip"),
        )
    )
    bad = (pl.col("value") != "") & ~pl.col("_skip") & pl.col("_score").is_null()
    errors.check(
        cells,
        bad,
        "value",
        "ожидается целый балл за задание или «X» (задание не выполнялось)",
        letter_column="__letter",
        header_column="__header",
    )
    over = cells.filter(pl.col("_score") > pl.col("_max")).with_columns(
        pl.format("балл за задание больше максимального ({})", pl.col("_max")).alias("_message")
    )
    errors.check(
        over,
        pl.lit(True),
        "value",
        message_column="_message",
        letter_column="__letter",
        header_column="__header",
    )
    return (
        cells.sort("__row", "_order")
        .group_by("__row", maintain_order=True)
        .agg(
            pl.col("_score").cast(pl.String).fill_null("x").str.join(";").alias("_tasks"),
            pl.col("_score").sum().alias("_sum"),
            (pl.col("value") != "").sum().alias("_filled"),
        )
    )


def _class_labels(
    table: pl.DataFrame, layout: Layout, facts: SheetFacts, errors: ErrorCollector
) -> pl.Expr:
    """The class of each row: the table's «Класс» column where present, else the sheet's."""
    if "class_label" not in layout.fields:
        return pl.lit(facts.class_label)
    parsed = {text: parse_class(text) for text in table.get_column("class_label").unique()}
    labels = {t: (p[1] if p and p[0] == facts.grade else None) for t, p in parsed.items() if t}
    checked = table.with_columns(
        pl.col("class_label")
        .replace_strict(labels, default=None, return_dtype=pl.String)
        .alias("_label"),
        pl.lit(layout.letter("class_label")).alias("__letter"),
        pl.lit(layout.headers["class_label"]).alias("__header"),
    )
    errors.check(
        checked,
        (pl.col("class_label") != "") & pl.col("_label").is_null(),
        "class_label",
        f"ожидается класс параллели {facts.grade}, например {facts.grade}А",
        letter_column="__letter",
        header_column="__header",
    )
    return pl.col("class_label").replace_strict(
        {**labels, "": facts.class_label}, default=facts.class_label, return_dtype=pl.String
    )
