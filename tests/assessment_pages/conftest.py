"""A small hand-built set of results over the personas' territory, and helpers to read pages.

ВПР, математика, 5 класс (main period unless said otherwise):

| year | a1 (город А)              | a2 (город А)  | b1 (район Б)            | b2 (район Б) | c1 (другой регион) |
| 2022 | «4» × 10                  |               |                         |              |                    |
| 2023 | «3» × 10                  |               | «4» × 4                 |              |                    |
| 2024 | 2,2,2,3,3,3,3,4,4,4,5,5   | 3,3,4,4,5     | 2,3,3,3,3,3,4,4,4,5     | «4» × 8      | «2» × 10           |

plus five «2» of a1 in 2024 in the additional period (not counted), ЕГЭ русский язык 2024 of a1
(eleven test scores), an aggregate-only ОГЭ математика 2024 of b2 (20 participants: 2, 8, 6, 4 of
«2»…«5»), and an aggregate of b1 for the ВПР group above that must be ignored (b1 has student rows).
"""

from itertools import count
from typing import Any

import pytest
from lxml import html as lxml_html

from opora.assessment.models import ImportBatch, SchoolResultAggregate, StudentResult
from opora.assessment.services import reference_load
from opora.core.models import AuditEntry

EGE_RUS_A1 = [20, 50, 81, 90, 100, 60, 70, 23, 24, 85, 40]
_keys = count(1)


def add_results(
    batch: ImportBatch,
    school: Any,
    procedure: str,
    subject: str,
    grade: int,
    year: int,
    *,
    marks: list[int] = (),  # type: ignore[assignment]
    scores: list[int] = (),  # type: ignore[assignment]
    period: str = "main",
) -> None:
    common = {
        "school": school,
        "procedure_id": procedure,
        "subject_id": subject,
        "grade": grade,
        "year": year,
        "period": period,
        "batch": batch,
    }
    rows = [StudentResult(student_key=f"k{next(_keys):031d}", mark=m, **common) for m in marks]
    rows += [
        StudentResult(student_key=f"k{next(_keys):031d}", test_score=s, **common) for s in scores
    ]
    StudentResult.objects.bulk_create(rows)


@pytest.fixture
def reference(db: None) -> None:
    reference_load(actor=None, source=AuditEntry.Source.CLI)


@pytest.fixture
def results(territory, reference):  # type: ignore[no-untyped-def]
    """The dataset of the module docstring; returns its import batch."""
    t = territory
    batch = ImportBatch.objects.create(file_name="итоги.csv", sha256="a" * 64, format="canonical")
    vpr = ("vpr", "math", 5)
    add_results(batch, t.a1, *vpr, 2022, marks=[4] * 10)
    add_results(batch, t.a1, *vpr, 2023, marks=[3] * 10)
    add_results(batch, t.b1, *vpr, 2023, marks=[4] * 4)
    add_results(batch, t.a1, *vpr, 2024, marks=[2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5])
    add_results(batch, t.a1, *vpr, 2024, marks=[2] * 5, period="additional")
    add_results(batch, t.a2, *vpr, 2024, marks=[3, 3, 4, 4, 5])
    add_results(batch, t.b1, *vpr, 2024, marks=[2, 3, 3, 3, 3, 3, 4, 4, 4, 5])
    add_results(batch, t.b2, *vpr, 2024, marks=[4] * 8)
    other = ImportBatch.objects.create(file_name="другой.csv", sha256="c" * 64, format="canonical")
    add_results(other, t.c1, *vpr, 2024, marks=[2] * 10)
    add_results(batch, t.a1, "ege", "rus", 11, 2024, scores=EGE_RUS_A1)
    aggregate = {"year": 2024, "batch": batch}
    SchoolResultAggregate.objects.create(
        school=t.b2, procedure_id="oge", subject_id="math", grade=9, participants=20,
        count_2=2, count_3=8, count_4=6, count_5=4, **aggregate,
    )  # fmt: skip
    SchoolResultAggregate.objects.create(
        school=t.b1, procedure_id="vpr", subject_id="math", grade=5, participants=99,
        count_2=0, count_3=99, count_4=0, count_5=0, **aggregate,
    )  # fmt: skip
    batch.rows_written = StudentResult.objects.filter(batch=batch).count()
    batch.save()
    return batch


def _text(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split()).replace("\xa0", " ")


def tree(response: Any) -> Any:
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content.decode())


def cells(row: Any) -> list[str]:
    return [_text(cell) for cell in row.xpath("./td|./th")]


def rows_by(response: Any, attribute: str, table: str = "") -> dict[str, list[str]]:
    """Cell texts of the rows carrying `attribute`, in the table with data-testid `table`."""
    scope = f"//table[@data-testid='{table}']" if table else ""
    return {
        row.get(attribute): cells(row) for row in tree(response).xpath(f"{scope}//tr[@{attribute}]")
    }


def dynamics(response: Any) -> dict[str, dict[str, list[str]]]:
    """The dynamics table: indicator → series → values per year (oldest first)."""
    body = tree(response)
    return {
        part.get("data-indicator"): {
            row.get("data-line"): cells(row)[1:] for row in part.xpath("./tr[@data-line]")
        }
        for part in body.xpath("//table[@data-testid='results-dynamics']/tbody")
    }
