"""The sections of the support pages: which model, which form, which columns in the list.

Every section gets a list, a «new» page, an object page (the form when the user may change the
object) and a delete page; `urls.py` builds the routes from this registry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from opora.support import forms as f
from opora.support import models as m
from opora.support.models.base import OwnedModel

Column = tuple[str, Callable[[Any, set[int]], str]]


def _date(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _period(obj: Any, _visible: set[int]) -> str:
    since, until = _date(getattr(obj, "since", None)), _date(getattr(obj, "until", None))
    if since and until:
        return f"{since} – {until}"
    return f"с {since}" if since else (f"по {until}" if until else "")


def _person(obj: Any, _visible: set[int]) -> str:
    parts = [obj.full_name, obj.position, obj.organisation]
    return ", ".join(p for p in parts if p)


def _owner(obj: Any, _visible: set[int]) -> str:
    return obj.owner_name


def _schools(names: list[tuple[int, str]], visible: set[int]) -> str:
    """Names of the schools the viewer may see; the others are only counted."""
    shown = [name for pk, name in names if pk in visible]
    hidden = len(names) - len(shown)
    text = ", ".join(shown)
    if hidden:
        text += f"{'; ' if text else ''}ещё школ: {hidden}"
    return text


@dataclass(frozen=True)
class Section:
    slug: str
    model: type[OwnedModel]
    form: type[f.OwnedForm]
    title: str
    columns: list[Column]
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    help: str = ""
    files: bool = field(default=False)

    @property
    def kwarg(self) -> str:
        return f"{self.model._meta.model_name}_id"

    def queryset(self, base: QuerySet[Any]) -> QuerySet[Any]:
        return base.select_related(
            "region", "municipality", "school", *self.related
        ).prefetch_related(*self.prefetch)


def _members(obj: Any, visible: set[int]) -> str:
    return "; ".join(f"{p.full_name} ({p.get_role_display()})" for p in obj.members.all())


def _network_schools(obj: Any, visible: set[int]) -> str:
    return _schools([(p.school_id, p.school.short_name) for p in obj.members.all()], visible)


def _event_schools(obj: Any, visible: set[int]) -> str:
    return _schools([(p.school_id, p.school.short_name) for p in obj.participations.all()], visible)


def _event_when(obj: Any, _visible: set[int]) -> str:
    end = f" – {_date(obj.date_end)}" if obj.date_end else ""
    return f"{_date(obj.date_start)}{end}"


def _agreement(obj: Any, _visible: set[int]) -> str:
    parts = []
    if obj.agreement_number:
        parts.append(f"№ {obj.agreement_number}")
    if obj.agreement_date:
        parts.append(f"от {_date(obj.agreement_date)}")
    return " ".join(parts) or "нет"


SECTIONS: dict[str, Section] = {
    s.slug: s
    for s in (
        Section(
            "working-groups",
            m.WorkingGroup,
            f.WorkingGroupForm,
            "Рабочие группы",
            [
                ("Группа", lambda o, v: o.name),
                ("Чья", _owner),
                (
                    "Приказ",
                    lambda o, v: " ".join(
                        x
                        for x in (
                            f"№ {o.order_number}" if o.order_number else "",
                            f"от {_date(o.order_date)}" if o.order_date else "",
                        )
                        if x
                    ),
                ),
                ("Состав", _members),
            ],
            prefetch=("members",),
        ),
        Section(
            "coordinators",
            m.Coordinator,
            f.CoordinatorForm,
            "Муниципальные координаторы",
            [
                ("Координатор", _person),
                ("Муниципалитет", _owner),
                ("Контакты", lambda o, v: ", ".join(x for x in (o.phone, o.email) if x)),
            ],
        ),
        Section(
            "curators",
            m.CuratorAssignment,
            f.CuratorForm,
            "Кураторы муниципалитетов",
            [("Куратор", _person), ("Муниципалитет", _owner), ("Период", _period)],
            help="Назначение с логином пользователя даёт ему роль куратора этого муниципалитета.",
        ),
        Section(
            "tutors",
            m.TutorAssignment,
            f.TutorForm,
            "Тьюторы школ",
            [
                ("Тьютор", _person),
                ("Школа", _owner),
                ("Направление", lambda o, v: o.subject),
                ("Период", _period),
            ],
            help="Назначение с логином пользователя даёт ему роль тьютора этой школы.",
        ),
        Section(
            "experts",
            m.Expert,
            f.ExpertForm,
            "Эксперты-консультанты",
            [
                ("Эксперт", _person),
                ("Специализация", lambda o, v: o.specialisation),
                ("Период", _period),
            ],
        ),
        Section(
            "pairs",
            m.PartnerPair,
            f.PairForm,
            "Партнёрские пары",
            [
                ("Школа", _owner),
                (
                    "Партнёр",
                    lambda o, v: f"{o.partner.short_name} ({o.get_partner_kind_display()})",
                ),
                ("Направления", lambda o, v: o.focus),
                ("Соглашение", _agreement),
                ("Как создана", lambda o, v: o.get_origin_display()),
            ],
            related=("partner",),
            files=True,
        ),
        Section(
            "networks",
            m.MethodicalNetwork,
            f.NetworkForm,
            "Методические сети",
            [
                ("Сеть", lambda o, v: o.name),
                ("Тема", lambda o, v: o.topic),
                ("Чья", _owner),
                ("Школы", _network_schools),
            ],
            prefetch=("members__school",),
        ),
        Section(
            "base-schools",
            m.BaseSchool,
            f.BaseSchoolForm,
            "Базовые школы",
            [
                ("Школа", _owner),
                ("Проблема", lambda o, v: o.get_problem_display()),
                ("Чем поможет", lambda o, v: o.note),
            ],
        ),
        Section(
            "consultation-points",
            m.ConsultationPoint,
            f.ConsultationPointForm,
            "Консультационные пункты",
            [
                ("Пункт", lambda o, v: o.name),
                ("Муниципалитет", _owner),
                ("Вопросы", lambda o, v: o.topic),
                ("Где и когда", lambda o, v: ", ".join(x for x in (o.address, o.schedule) if x)),
            ],
        ),
        Section(
            "events",
            m.Event,
            f.EventForm,
            "Мероприятия",
            [
                ("Дата", _event_when),
                ("Вид", lambda o, v: o.get_kind_display()),
                ("Тема", lambda o, v: o.topic),
                ("Уровень", lambda o, v: o.get_level_display()),
                ("Организатор", lambda o, v: o.organiser),
                (
                    "Часов",
                    lambda o, v: f"{o.hours:g}".replace(".", ",") if o.hours is not None else "",
                ),
                ("Участников", lambda o, v: str(o.participants_total)),
                ("Школы", _event_schools),
            ],
            prefetch=("participations__school",),
        ),
    )
}
