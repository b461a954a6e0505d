"""Forms of the program pages."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from opora.accounts.models import User
from opora.accounts.policy import user_can
from opora.programs.choices import KIND_LEVEL, ProgramKind, ProgramLevel
from opora.programs.models import Activity, Program, ReportingPeriod, Track
from opora.programs.permissions import PROGRAM_VIEW
from opora.programs.services import PASSPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put the errors of a service on the form: by field where named, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ActivityForm(forms.ModelForm):
    """Edit an activity; `version` carries the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = [
            "number",
            "name",
            "form",
            "deadline_text",
            "responsible_org",
            "responsible_person",
            "participants",
            "expected_result",
            "status",
            "done_on",
            "completion_comment",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "completion_comment": forms.Textarea(attrs={"rows": 2}),
            "done_on": DATE,
        }

    responsible_login = forms.CharField(
        label="Ответственный пользователь Опоры (логин; увидит мероприятие в «Моих задачах»)",
        required=False,
        max_length=150,
    )
    with_responsible = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.with_responsible:
            del self.fields["responsible_login"]
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            if self.with_responsible and self.instance.responsible_user_id:
                self.initial["responsible_login"] = self.instance.responsible_user.username

    def clean_responsible_login(self) -> Any:
        login = self.cleaned_data["responsible_login"].strip()
        if not login:
            return None
        user = User.objects.filter(username=login, is_active=True).first()
        if user is None:
            raise ValidationError(f"Пользователь с логином «{login}» не найден.")
        if self.instance.pk and not user_can(user, PROGRAM_VIEW, self.instance):
            raise ValidationError(f"Пользователь «{login}» не видит эту программу.")
        return user

    def changes(self) -> dict[str, Any]:
        """The edited fields only, so the service records exactly what the user changed."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.with_responsible:
            data["responsible_user"] = self.cleaned_data["responsible_login"]
        return data


class ActivityMarkForm(ActivityForm):
    """The completion mark only: for the person responsible who may not edit the program."""

    with_responsible = False

    class Meta(ActivityForm.Meta):
        fields = ["status", "done_on", "completion_comment"]


class ActivityNewForm(forms.ModelForm):
    """A new activity of a track; its deadline is parsed from the text as written."""

    class Meta:
        model = Activity
        fields = [
            "number",
            "name",
            "form",
            "deadline_text",
            "responsible_org",
            "responsible_person",
            "participants",
            "expected_result",
        ]
        widgets = ActivityForm.Meta.widgets


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что нужно доработать", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Файл (PDF, DOCX, XLSX, JPG, PNG, ZIP; до 20 МБ)")
    title = forms.CharField(label="Описание", max_length=300, required=False)


class ProgramCreateForm(forms.Form):
    """A new program: the kind decides the level; the territory is one the user may edit."""

    kind = forms.ChoiceField(label="Вид программы", choices=ProgramKind.choices)
    owner = forms.ChoiceField(label="Чья программа")
    name = forms.CharField(label="Наименование", max_length=500)
    period_start_year = forms.IntegerField(label="Год начала", min_value=2000, max_value=2100)
    period_end_year = forms.IntegerField(label="Год окончания", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owners

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, owner = data.get("kind"), data.get("owner", "")
        if kind and owner:
            level = {"region": ProgramLevel.REGION, "municipality": ProgramLevel.MUNICIPALITY}
            expected = level.get(owner.split(":")[0], ProgramLevel.SCHOOL)
            if KIND_LEVEL[kind] != expected:
                self.add_error("kind", "Этот вид программы не подходит выбранной территории.")
        return data


class PassportForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = list(PASSPORT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "developer",
                "executors",
                "normative_basis",
                "goal",
                "tasks",
                "expected_results",
                "funding",
            )
        }


class TrackForm(forms.ModelForm):
    class Meta:
        model = Track
        fields = ["name"]
        widgets = {"name": forms.TextInput()}


class ReportForm(forms.Form):
    period = forms.ModelChoiceField(
        label="Отчётный период", queryset=ReportingPeriod.objects.none()
    )
    comment = forms.CharField(
        label="Комментарий к отчёту", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["period"]).queryset = periods


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["region", "name", "level", "opens_on", "due_on"]
        widgets = {"opens_on": DATE, "due_on": DATE}

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["region"]).queryset = regions
        cast(forms.ChoiceField, self.fields["level"]).choices = [
            (ProgramLevel.SCHOOL, "школьные программы"),
            (ProgramLevel.MUNICIPALITY, "муниципальные программы"),
        ]
