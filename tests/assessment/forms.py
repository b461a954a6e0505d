"""Builders of real-shaped result files for the importer tests (openpyxl, in memory)."""

import io
from collections.abc import Sequence

import openpyxl

VPR_HEADER = [
    "№",
    "Код участника",
    "Вариант",
    "1",
    "2",
    "3.1",
    "3.2",
    "Сумма баллов",
    "Отметка",
    "Отметка за предыдущую четверть",
    "Годовая отметка",
]
VPR_MAXIMA = ["Максимальный балл", None, None, 1, 2, 1, 1, 5]
VPR_ROWS = [
    [1, 10001, 1, 1, 2, "X", 1, 4, 5, 5, 5],
    [2, 10002, 2, 0, 1, 0, 0, 1, 2, 3, 3],
    [3, 10003, 1, 1, 2, 1, 1, 5, 5, 4, 4],
    [4, 10004, 2, None, None, None, None, None, None, 4, 4],  # absent: skipped
]


def vpr_sheet(
    *,
    school: object = "a1",
    subject: object = "Математика",
    grade: object = "5А",
    year: object = 2024,
    extra: Sequence[Sequence[object]] = (),
    header: Sequence[object] = VPR_HEADER,
    maxima: Sequence[object] | None = VPR_MAXIMA,
    rows: Sequence[Sequence[object]] = VPR_ROWS,
) -> list[list[object]]:
    """A class sheet as a school fills it: a title, label cells, the table."""
    top: list[list[object]] = [["Форма сбора результатов ВПР"]]
    if school is not None:
        top.append(["Код ОО:", school])
    if subject is not None:
        top.append([f"Предмет: {subject}"])
    if grade is not None:
        top.append(["Класс", grade])
    if year is not None:
        top.append(["Год", year])
    top += [list(r) for r in extra]
    top.append([])
    table = [list(header)]
    if maxima is not None:
        table.append(list(maxima))
    return top + table + [list(r) for r in rows]


def workbook(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    """An XLSX with the given sheets, cell values as given (None = empty)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GIA_HEADER = [
    "№",
    "Код МСУ",
    "Код ОО",
    "Класс",
    "Код ППЭ",
    "Аудитория",
    "Фамилия",
    "Имя",
    "Отчество",
    "Серия",
    "Номер",
    "Дата рождения",
    "Задания с кратким ответом",
    "Задания с развёрнутым ответом",
    "Первичный балл",
    "Балл",
    "Медаль",
]
GIA_ROWS = [
    [
        "1",
        "111",
        "a1",
        "11А",
        "1018",
        "9",
        "Иванов",
        "Пётр",
        "Сергеевич",
        "4510",
        "123456",
        "12.03.2006",
        "++-+1",
        "2(3)1(2)",
        "7",
        "72",
        "золотая",
    ],
    [
        "2",
        "111",
        "b1",
        "11Б",
        "1018",
        "9",
        "Петрова",
        "Анна",
        "Ивановна",
        "4511",
        "654321",
        "01.02.2006",
        "+--x0",
        "0(3)0(2)",
        "1",
        "30",
        "",
    ],
]


def gia_csv(
    rows: Sequence[Sequence[object]] = GIA_ROWS,
    header: Sequence[str] = GIA_HEADER,
    title: str = "01 - Русский язык 2024.06.03",
    footer: bool = True,
) -> bytes:
    """A РЦОИ protocol saved as CSV: a title row, the table, summary rows, cp1251."""
    width = len(header)
    lines = [[title, *[""] * (width - 1)]] if title else []
    lines += [list(header), *[[str(v) for v in r] for r in rows]]
    if footer:
        lines += [
            ["Средние", *[""] * (width - 3), "4", "51"],
            ["Всего участников", *[""] * (width - 1)],
        ]
    text = "\r\n".join(";".join(str(v) for v in line) for line in lines) + "\r\n"
    return text.encode("cp1251")
