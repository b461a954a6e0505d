"""Forms of the registry pages: the school list filters and the edit forms of a school."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from opora.territory.choices import SchoolType, SizeBand
from opora.territory.models import SNAPSHOT_FIELDS, School, SchoolSnapshot, Settlement
from opora.territory.selectors import SORTS, SchoolFilters

SORT_CHOICES = [
    ("name", "по названию (А–Я)"),
    ("-name", "по названию (Я–А)"),
    ("municipality", "по муниципалитету"),
    ("-municipality", "по муниципалитету (обратный)"),
    ("-students", "по числу обучающихся (убыв.)"),
    ("students", "по числу обучающихся (возр.)"),
    ("-teachers", "по числу учителей (убыв.)"),
    ("teachers", "по числу учителей (возр.)"),
]


class SchoolFilterForm(forms.Form):
    """GET parameters of the school list; invalid values are ignored rather than rejected."""

    q = forms.CharField(label="Поиск", required=False, max_length=200)
    municipality = forms.TypedChoiceField(
        label="Муниципалитет", required=False, coerce=int, empty_value=None
    )
    school_type = forms.ChoiceField(
        label="Тип", required=False, choices=[("", "все типы"), *SchoolType.choices]
    )
    locality = forms.ChoiceField(
        label="Местность",
        required=False,
        choices=[("", "город и село"), ("urban", "городские"), ("rural", "сельские")],
    )
    size = forms.ChoiceField(
        label="Размер", required=False, choices=[("", "любой"), *SizeBand.choices]
    )
    sort = forms.ChoiceField(label="Сортировка", required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, municipalities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "все муниципалитеты"), *((m.pk, m.name) for m in municipalities)]

    def filters(self) -> SchoolFilters:
        """The valid filters; a field with a bad value counts as empty."""
        if not self.is_bound:
            return SchoolFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        sort = data.get("sort") or "name"
        return SchoolFilters(
            q=data.get("q") or "",
            municipality_id=data.get("municipality"),
            school_type=data.get("school_type") or "",
            locality=data.get("locality") or "",
            size=data.get("size") or "",
            sort=sort if sort.lstrip("-") in SORTS else "name",
        )


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a ValidationError raised by a service on the form (by field when possible)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SchoolForm(forms.ModelForm):
    """The stable card of a school. The code and the municipality change only by import."""

    class Meta:
        model = School
        fields = [
            "full_name",
            "short_name",
            "inn",
            "ogrn",
            "fis_oko_login",
            "school_type",
            "teaches_primary",
            "teaches_basic",
            "teaches_secondary",
            "address",
            "settlement",
            "is_urban",
            "transport_access",
            "shifts",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settlement = self.fields["settlement"]
        assert isinstance(settlement, forms.ModelChoiceField)
        settlement.queryset = Settlement.objects.filter(
            municipality_id=self.instance.municipality_id
        ).order_by("name", "id")


class SnapshotForm(forms.ModelForm):
    """The yearly context of a school for one year."""

    class Meta:
        model = SchoolSnapshot
        fields = SNAPSHOT_FIELDS
