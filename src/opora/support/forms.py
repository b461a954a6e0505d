"""Forms of the support pages. Each form knows its owner levels and saves through a service.

Child rows are typed as lines: members of a working group «ФИО; должность; организация;
роль», participating schools of an event «код школы; число участников». A bad line is named
with its number.
"""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from opora.accounts.policy import objects_for
from opora.programs.evidence import check_evidence_file
from opora.support import models as m
from opora.support.choices import GroupRole, NetworkRole, PairOrigin
from opora.support.owners import apply_owner, owner_choices, owner_value
from opora.support.permissions import SUPPORT_VIEW, edit_capability
from opora.support.services import (
    assignment_save,
    event_save,
    network_save,
    pair_save,
    support_save,
    working_group_save,
)
from opora.territory.models import School

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSON = ["full_name", "position", "organisation", "phone", "email"]


class OwnedForm(forms.ModelForm):
    """A support object with its owner territory chosen among the user's."""

    levels: tuple[str, ...] = ("region", "municipality", "school")
    owner_label = "Территория"
    owner = forms.ChoiceField(label="Территория")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        capability = edit_capability(self._meta.model)
        self.fields["owner"].label = self.owner_label
        owner = cast(forms.ChoiceField, self.fields["owner"])
        owner.choices = owner_choices(user, capability, self.levels)
        if self.instance.pk and not self.is_bound:
            self.initial["owner"] = owner_value(self.instance)
        self.order_fields(["owner"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner"):
            apply_owner(self.instance, data["owner"])
        return data

    def save_with(self, *, actor: Any, source: str) -> Any:
        return support_save(actor=actor, instance=self.instance, source=source)


def _school_by_code(code: str, line: int) -> School:
    school = School.objects.filter(code=code.strip()).first()
    if school is None:
        raise ValidationError(f"Строка {line}: школы с кодом «{code.strip()}» нет в реестре.")
    return school


class WorkingGroupForm(OwnedForm):
    owner_label = "Чья группа"
    members_text = forms.CharField(
        label="Состав: по строке на человека — ФИО; должность; организация; роль "
        "(руководитель, заместитель руководителя, секретарь, член группы)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = m.WorkingGroup
        fields = ["name", "order_number", "order_date", "purpose"]
        widgets = {"order_date": DATE, "purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["members_text"] = "\n".join(
                f"{p.full_name}; {p.position}; {p.organisation}; {p.get_role_display()}"
                for p in self.instance.members.all()
            )

    def clean_members_text(self) -> list[dict[str, str]]:
        roles = {label: value for value, label in GroupRole.choices}
        members = []
        for number, line in enumerate(self.cleaned_data["members_text"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")] + ["", "", ""]
            role = roles.get(parts[3].lower(), GroupRole.MEMBER) if parts[3] else GroupRole.MEMBER
            if parts[3] and parts[3].lower() not in roles:
                raise ValidationError(
                    f"Строка {number}: роль «{parts[3]}» не распознана; допустимы: "
                    + ", ".join(roles)
                    + "."
                )
            if not parts[0]:
                raise ValidationError(f"Строка {number}: укажите ФИО.")
            members.append(
                {
                    "full_name": parts[0],
                    "position": parts[1],
                    "organisation": parts[2],
                    "role": role,
                }
            )
        return members

    def save_with(self, *, actor: Any, source: str) -> Any:
        return working_group_save(
            actor=actor,
            group=self.instance,
            members=self.cleaned_data["members_text"],
            source=source,
        )


class CoordinatorForm(OwnedForm):
    levels = ("municipality",)
    owner_label = "Муниципалитет"

    class Meta:
        model = m.Coordinator
        fields = [*PERSON, "since", "until"]
        widgets = {"since": DATE, "until": DATE}


class AssignmentForm(OwnedForm):
    username = forms.CharField(
        label="Логин пользователя Опоры (необязательно; получит роль по назначению)",
        required=False,
        max_length=150,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.user_id and not self.is_bound:
            self.initial["username"] = self.instance.user.username

    def save_with(self, *, actor: Any, source: str) -> Any:
        return assignment_save(
            actor=actor,
            instance=self.instance,
            username=self.cleaned_data["username"],
            source=source,
        )


class CuratorForm(AssignmentForm):
    levels = ("municipality",)
    owner_label = "Муниципалитет"

    class Meta:
        model = m.CuratorAssignment
        fields = [*PERSON, "since", "until"]
        widgets = {"since": DATE, "until": DATE}


class TutorForm(AssignmentForm):
    levels = ("school",)
    owner_label = "Школа"

    class Meta:
        model = m.TutorAssignment
        fields = [*PERSON, "subject", "since", "until"]
        widgets = {"since": DATE, "until": DATE}


class ExpertForm(OwnedForm):
    levels = ("region",)
    owner_label = "Регион"

    class Meta:
        model = m.Expert
        fields = [*PERSON, "specialisation", "since", "until"]
        widgets = {"since": DATE, "until": DATE}


class PairForm(OwnedForm):
    """A low-result school and its partner: a school in the user's scope or any by its code."""

    levels = ("school",)
    owner_label = "Школа с низкими результатами"
    partner_code = forms.CharField(
        label="…или код школы-партнёра (если её нет в списке)", required=False, max_length=32
    )

    class Meta:
        model = m.PartnerPair
        fields = [
            "partner",
            "partner_kind",
            "focus",
            "agreement_number",
            "agreement_date",
            "agreement_file",
            "since",
            "until",
        ]
        widgets = {"agreement_date": DATE, "since": DATE, "until": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = objects_for(self.user, SUPPORT_VIEW, School).order_by("short_name")
        if self.instance.pk:
            visible = visible | School.objects.filter(pk=self.instance.partner_id)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = visible
        self.fields["partner"].required = False

    def clean_agreement_file(self) -> Any:
        file = self.cleaned_data.get("agreement_file")
        if file and not isinstance(file, str) and hasattr(file, "content_type"):
            check_evidence_file(file)
        return file

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("partner_code", "").strip()
        if code:
            data["partner"] = _school_by_code(code, 1)
            self.instance.partner = data["partner"]
        if not data.get("partner"):
            self.add_error("partner", "Выберите школу-партнёра или введите её код.")
        return data

    def save_with(self, *, actor: Any, source: str) -> Any:
        if not self.instance.pk:
            self.instance.origin = PairOrigin.MANUAL
        return pair_save(actor=actor, pair=self.instance, source=source)


class NetworkForm(OwnedForm):
    levels = ("region", "municipality")
    owner_label = "Чья сеть"
    member_schools = forms.ModelMultipleChoiceField(
        label="Школы сети", queryset=School.objects.none(), required=False
    )
    member_codes = forms.CharField(
        label="…и школы других территорий: коды через запятую или по строке",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    coordinator = forms.ModelChoiceField(
        label="Школа-координатор сети", queryset=School.objects.none(), required=False
    )

    class Meta:
        model = m.MethodicalNetwork
        fields = ["name", "topic", "since"]
        widgets = {"since": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visible = objects_for(self.user, SUPPORT_VIEW, School).order_by("short_name")
        cast(forms.ModelMultipleChoiceField, self.fields["member_schools"]).queryset = visible
        cast(forms.ModelChoiceField, self.fields["coordinator"]).queryset = visible
        if self.instance.pk and not self.is_bound:
            ids = {s.school_id: s.role for s in self.instance.members.all()}
            self.initial["member_schools"] = [i for i in ids if visible.filter(pk=i).exists()]
            self.initial["member_codes"] = ", ".join(
                s.school.code
                for s in self.instance.members.select_related("school")
                if not visible.filter(pk=s.school_id).exists()
            )
            coordinator = [i for i, role in ids.items() if role == NetworkRole.COORDINATOR]
            self.initial["coordinator"] = coordinator[0] if coordinator else None

    def clean_member_codes(self) -> list[School]:
        text = self.cleaned_data["member_codes"].replace(",", "\n")
        return [
            _school_by_code(code, number)
            for number, code in enumerate(text.splitlines(), start=1)
            if code.strip()
        ]

    def save_with(self, *, actor: Any, source: str) -> Any:
        schools = {s.pk: s for s in self.cleaned_data["member_schools"]}
        schools.update({s.pk: s for s in self.cleaned_data["member_codes"]})
        coordinator = self.cleaned_data.get("coordinator")
        if coordinator is not None:
            schools[coordinator.pk] = coordinator
        members = [
            (
                s,
                NetworkRole.COORDINATOR
                if coordinator and s.pk == coordinator.pk
                else NetworkRole.MEMBER,
            )
            for s in schools.values()
        ]
        return network_save(actor=actor, network=self.instance, members=members, source=source)


class BaseSchoolForm(OwnedForm):
    levels = ("school",)
    owner_label = "Школа"

    class Meta:
        model = m.BaseSchool
        fields = ["problem", "note", "since"]
        widgets = {"since": DATE, "note": forms.Textarea(attrs={"rows": 2})}


class ConsultationPointForm(OwnedForm):
    levels = ("municipality",)
    owner_label = "Муниципалитет"

    class Meta:
        model = m.ConsultationPoint
        fields = ["name", "topic", "audience", "address", "schedule", "contact"]


class EventForm(OwnedForm):
    owner_label = "Кто проводит (территория)"
    participations_text = forms.CharField(
        label="Школы-участники: по строке — код школы; число участников",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = m.Event
        fields = [
            "kind",
            "level",
            "topic",
            "date_start",
            "date_end",
            "organiser",
            "hours",
            "audience",
            "participants_total",
        ]
        widgets = {"date_start": DATE, "date_end": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["participations_text"] = "\n".join(
                f"{p.school.code}; {p.participants}"
                for p in self.instance.participations.select_related("school")
            )

    def clean_participations_text(self) -> list[tuple[School, int]]:
        rows: dict[int, tuple[School, int]] = {}
        for number, line in enumerate(self.cleaned_data["participations_text"].splitlines(), 1):
            if not line.strip():
                continue
            code, _, count = line.replace(",", ";").partition(";")
            school = _school_by_code(code, number)
            count = count.strip() or "0"
            if not count.isdigit():
                raise ValidationError(
                    f"Строка {number}: число участников «{count}» должно быть целым неотрицательным."
                )
            rows[school.pk] = (school, int(count))
        return list(rows.values())

    def save_with(self, *, actor: Any, source: str) -> Any:
        return event_save(
            actor=actor,
            event=self.instance,
            participations=self.cleaned_data["participations_text"],
            source=source,
        )
