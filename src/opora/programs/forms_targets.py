"""Forms of target indicators: a new target, and the values of a target per year."""

from decimal import Decimal
from typing import Any, cast

from django import forms

from opora.programs.choices import TargetDirection
from opora.programs.models import ProgramTarget
from opora.programs.targets import library_choices


def _number(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=3,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class TargetNewForm(forms.Form):
    """A target from the library (its name, unit and direction come from there) or by hand."""

    indicator_code = forms.ChoiceField(label="Показатель из библиотеки", required=False)
    name = forms.CharField(
        label="…или наименование показателя (если его нет в библиотеке)",
        max_length=1000,
        required=False,
    )
    subject = forms.CharField(
        label="Предмет (код, например math; пусто — все предметы)", max_length=30, required=False
    )
    unit = forms.CharField(label="Единица измерения", max_length=50, required=False)
    direction = forms.ChoiceField(label="Направление", choices=TargetDirection.choices)
    baseline_year = forms.IntegerField(
        label="Год базового значения", min_value=2000, max_value=2100, required=False
    )
    baseline_value = _number("Базовое значение")

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = cast(forms.ChoiceField, self.fields["indicator_code"])
        codes.choices = [("", "— вводится вручную —"), *library_choices()]
        self.years = years
        for year in years:
            self.fields[f"target_{year}"] = _number(f"Цель на {year} год")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("indicator_code") and not data.get("name"):
            self.add_error("name", "Выберите показатель из библиотеки или введите наименование.")
        return data

    def values(self) -> dict[int, Decimal | None]:
        return {
            year: self.cleaned_data[f"target_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"target_{year}") is not None
        }


class TargetYearsForm(forms.Form):
    """The target and the actual value of each year of the program (and the baseline year)."""

    def __init__(self, *args: Any, target: ProgramTarget, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        stored = {v.year: v for v in target.values.all()}
        for year in years:
            row = stored.get(year)
            self.fields[f"target_{year}"] = _number(f"{year}: цель")
            self.fields[f"actual_{year}"] = _number(f"{year}: факт")
            if row is not None and not self.is_bound:
                self.initial[f"target_{year}"] = row.value
                self.initial[f"actual_{year}"] = row.actual_value

    def rows(self) -> list[tuple[int, Decimal | None, Decimal | None]]:
        return [
            (year, self.cleaned_data[f"target_{year}"], self.cleaned_data[f"actual_{year}"])
            for year in self.years
        ]
