"""The shipped reference file loads idempotently; the results template is registered and readable."""

import io

from django.core.management import call_command
from python_calamine import CalamineWorkbook

from opora.assessment.models import Procedure, ReferenceValue
from opora.core.importing import template_kinds


def test_reference_loads_once_then_reports_nothing_changed(db) -> None:
    out = io.StringIO()
    call_command("load-reference", stdout=out)
    created = ReferenceValue.objects.count()
    assert "создано" in out.getvalue() and created == 50
    call_command("load-reference", stdout=out)
    assert out.getvalue().splitlines()[-1].endswith("создано 0, обновлено 0, без изменений 78.")
    ege_rus = ReferenceValue.objects.get(year=2026, procedure="ege", subject="rus")
    assert (ege_rus.min_score, ege_rus.min_score_admission, ege_rus.high_score) == (24, 36, 81)
    assert "[B]" in ege_rus.source
    assert Procedure.objects.get(code="oge").grades == [9]


def test_results_template_has_the_canonical_headers() -> None:
    kind = template_kinds()["results"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(kind.build()))
    header = book.get_sheet_by_name("Результаты").to_python()[0]
    assert header[:3] == ["Код школы", "Процедура", "Предмет"]
    assert "Код участника" in header and "Годовая отметка" in header
