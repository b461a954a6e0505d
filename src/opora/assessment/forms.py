"""Forms of the results pages: the group filters and the upload of a result file."""

import re
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict

from opora.assessment.figures import Group
from opora.assessment.importers import FORMATS, ImportOptions
from opora.assessment.models import Procedure
from opora.assessment.result_pages import Filters, ResultsPage

CODE = re.compile(r"^[a-z0-9_]{1,30}$")
ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def _int(text: str, low: int, high: int) -> int | None:
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def parse_filters(query: QueryDict) -> Filters:
    """The filters of a results page from its query string; a bad value counts as empty."""
    procedure = query.get("procedure", "")
    subject = query.get("subject", "")
    group = None
    parts = query.get("group", "").split(":")
    if len(parts) == 3 and CODE.match(parts[0]) and CODE.match(parts[1]):
        grade = _int(parts[2], 1, 12)
        group = Group(parts[0], parts[1], grade) if grade is not None else None
    return Filters(
        procedure=procedure if CODE.match(procedure) else "",
        subject=subject if CODE.match(subject) else "",
        grade=_int(query.get("grade", ""), 1, 12),
        year=_int(query.get("year", ""), 2000, 2100),
        group=group,
    )


class ResultFilterForm(forms.Form):
    """The filter bar of a results page; its choices are the groups and years the unit has."""

    procedure = forms.ChoiceField(label="Процедура", required=False)
    subject = forms.ChoiceField(label="Предмет", required=False)
    grade = forms.ChoiceField(label="Класс", required=False)
    year = forms.ChoiceField(label="Последний год", required=False)

    def __init__(self, *, filters: Filters, page: ResultsPage) -> None:
        latest = page.years[-1] if page.years else ""
        super().__init__(
            initial={
                "procedure": filters.procedure,
                "subject": filters.subject,
                "grade": filters.grade or "",
                "year": latest,
            }
        )
        self._set("procedure", [("", "все процедуры"), *page.procedures])
        self._set("subject", [("", "все предметы"), *page.subjects])
        self._set("grade", [("", "все классы"), *((g, f"{g} класс") for g in page.grades)])
        self._set("year", [(y, str(y)) for y in page.available_years])

    def _set(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ResultsUploadForm(forms.Form):
    """A result file, its format (from the registry of importers) and the dry-run switch."""

    file = forms.FileField(label="Файл результатов (XLSX или CSV)")
    format = forms.ChoiceField(label="Формат файла")
    procedure = forms.ChoiceField(
        label="Процедура, если файл её не называет",
        required=False,
        help_text="Для протоколов РЦОИ и форм ВПР без названия процедуры.",
    )
    year = forms.IntegerField(
        label="Год, если файл его не называет",
        required=False,
        min_value=settings.OPORA_MIN_YEAR,
        max_value=settings.OPORA_MAX_YEAR,
        help_text="Год проведения: 2024 — 2023/24 учебный год.",
    )
    dry_run = forms.BooleanField(
        label="Только проверить, ничего не записывать", required=False, initial=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["format"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, fmt.name) for code, fmt in FORMATS.items()]
        field.initial = next(iter(FORMATS), "")
        self.formats = list(FORMATS.values())
        procedure = self.fields["procedure"]
        assert isinstance(procedure, forms.ChoiceField)
        procedure.choices = [
            ("", "указана в файле"),
            *((p.code, p.short_name) for p in Procedure.objects.order_by("order", "code")),
        ]

    def options(self) -> ImportOptions:
        """What the user says about the file (for formats that need it)."""
        return ImportOptions(
            procedure=self.cleaned_data.get("procedure") or "",
            year=self.cleaned_data.get("year"),
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("Загрузите файл XLSX или CSV.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Файл больше {MAX_UPLOAD_BYTES // (1024 * 1024)} МБ: разделите его на части."
            )
        return upload
