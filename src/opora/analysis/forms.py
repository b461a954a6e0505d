"""Forms of the analysis pages: registry filters, methodology copy, edit, approve, compare.

The edit form shows the parameters people change most as typed fields and the whole document
as JSON; it validates the result against the methodology schema and words every problem in
Russian with the parameter's path.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django import forms
from django.conf import settings

from opora.analysis.choices import Cluster, Reason
from opora.analysis.models import Methodology
from opora.analysis.selectors import RegistryFilters
from opora.analysis.validation import russian_errors

# (dotted path, Russian label) of the parameters shown as fields of their own.
KEY_PARAMETERS: list[tuple[str, str]] = [
    ("general.n_min", "Минимальный размер группы (N), ниже — не оценивается"),
    ("shnor.r1.t_fail", "R1: порог доли «2» (доля от 0 до 1)"),
    ("shnor.r1.k_proc", "R1: число процедур с долей «2» выше порога"),
    ("shnor.r1.mode", "R1: «strict» — и в этом, и в прошлом году; «lenient» — или"),
    ("shnor.r2.q_low", "R2: нижняя доля школ региона (доля от 0 до 1)"),
    ("shnor.r2.min_years_low", "R2: лет в нижней зоне из окна"),
    ("shnor.r2.years_window", "R2: окно, лет"),
    ("isb.ssu_percentile", "ССУ: процентиль ИСБШ не выше"),
    ("objectivity.has_signs_min_markers", "Признаки необъективности: маркеров не меньше"),
    (
        "objectivity.m1.external_window",
        "M1: ОГЭ/ЕГЭ для сравнения — «latest» последний год с данными, «pooled» все годы окна",
    ),
    (
        "objectivity.m2.expected",
        "M2: задания сравниваются — «same_total» с участниками с тем же общим баллом, "
        "«region» с регионом",
    ),
    ("resilience.ce_min", "Резильентность: контекстный эффект CE не ниже"),
    ("decline.delta", "Риск снижения: падение Z за год не меньше"),
    ("matching.cap_per_partner", "Партнёры: школ на одного партнёра не больше"),
]


def get_path(document: dict[str, Any], path: str) -> Any:
    node: Any = document
    for part in path.split("."):
        node = node[part]
    return node


def set_path(document: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = document
    for part in parents:
        node = node[part]
    node[last] = value


def _field_for(label: str, value: Any) -> forms.Field:
    if isinstance(value, bool):
        return forms.BooleanField(label=label, required=False)
    if isinstance(value, int):
        return forms.IntegerField(label=label)
    if isinstance(value, float):
        return forms.FloatField(label=label, localize=True)
    return forms.CharField(label=label, max_length=100)


class MethodologyEditForm(forms.Form):
    """Key parameters as fields plus the whole document as JSON (the fields win)."""

    description = forms.CharField(
        label="Описание", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.CharField(
        label="Документ методики целиком (JSON)",
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "mono"}),
        help_text="Параметры выше применяются поверх этого текста.",
    )

    def __init__(self, *args: Any, methodology: Methodology, **kwargs: Any) -> None:
        document = methodology.document
        initial = {
            "description": methodology.description,
            "document": json.dumps(document, ensure_ascii=False, indent=1),
        }
        self.key_fields: list[str] = []
        for path, _label in KEY_PARAMETERS:
            try:
                initial[path] = get_path(document, path)
            except (KeyError, TypeError):
                continue
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for path, label in KEY_PARAMETERS:
            if path in initial:
                self.fields[path] = _field_for(f"{label} [{path}]", initial[path])
                self.key_fields.append(path)
        self.order_fields([*self.key_fields, "description", "document"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("document")
        if text is None:
            return data
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"Документ — не JSON: строка {error.lineno}, столбец {error.colno}: {error.msg}."
            ) from error
        if not isinstance(document, dict):
            raise forms.ValidationError("Документ методики должен быть объектом JSON ({…}).")
        document = copy.deepcopy(document)
        for path in self.key_fields:
            if path in data and data[path] is not None:
                try:
                    set_path(document, path, data[path])
                except (KeyError, TypeError):
                    self.add_error(None, f"{path}: в документе нет этого раздела.")
        errors = russian_errors(document)
        if errors:
            raise forms.ValidationError(errors)
        data["parsed"] = document
        return data


class MethodologyCopyForm(forms.Form):
    name = forms.CharField(
        label="Название копии",
        max_length=100,
        required=False,
        help_text="Пусто — следующая версия той же методики.",
    )


def _years() -> list[tuple[int, str]]:
    return [(y, str(y)) for y in range(settings.OPORA_MAX_YEAR, settings.OPORA_MIN_YEAR - 1, -1)]


class YearForm(forms.Form):
    """The year of a run or of an approval."""

    year = forms.TypedChoiceField(label="Год", coerce=int, choices=[])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(y, str(y)) for y in years] or _years()


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label="Методика А", queryset=Methodology.objects.none())
    b = forms.ModelChoiceField(label="Методика Б", queryset=Methodology.objects.none())
    year = forms.TypedChoiceField(label="Год", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, methodologies: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = methodologies
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [("", "последний"), *((y, str(y)) for y in years)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        a, b = data.get("a"), data.get("b")
        if a and b and a.region_id != b.region_id:
            raise forms.ValidationError("Сравнивать можно методики одного региона.")
        if a and b and a.pk == b.pk:
            raise forms.ValidationError("Выберите две разные методики.")
        return data


class RegistryFilterForm(forms.Form):
    """GET filters of the registry; bad values count as empty."""

    municipality = forms.TypedChoiceField(
        label="Муниципалитет", required=False, coerce=int, empty_value=None
    )
    cluster = forms.ChoiceField(
        label="Кластер", required=False, choices=[("", "все кластеры"), *Cluster.choices]
    )
    reason = forms.ChoiceField(
        label="Основание", required=False, choices=[("", "все основания"), *Reason.choices]
    )
    everyone = forms.BooleanField(label="Все школы, не только реестр", required=False)

    def __init__(self, *args: Any, municipalities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "все муниципалитеты"), *((m.pk, m.name) for m in municipalities)]

    def filters(self) -> RegistryFilters:
        if not self.is_bound:
            return RegistryFilters()
        self.is_valid()
        data = self.cleaned_data
        return RegistryFilters(
            municipality=data.get("municipality"),
            cluster=data.get("cluster") or "",
            reason=data.get("reason") or "",
            everyone=bool(data.get("everyone")),
        )
