"""People of the support structure: working groups, coordinators, curators, tutors, experts."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from opora.core.models import TimeStampedModel
from opora.support.choices import GroupRole
from opora.support.models.base import OwnedModel


class WorkingGroup(OwnedModel):
    """A working group (рабочая группа) of the region, a municipality or a school, set up by an
    order (приказ) to run the program."""

    name = models.CharField("наименование", max_length=500)
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    purpose = models.TextField("задачи группы", blank=True)

    class Meta:
        verbose_name = "рабочая группа"
        verbose_name_plural = "рабочие группы"
        ordering = ["region", "municipality", "school", "name", "id"]

    def __str__(self) -> str:
        return self.name


class WorkingGroupMember(TimeStampedModel):
    """A member of a working group with their role in it."""

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name="рабочая группа",
        on_delete=models.CASCADE,
        related_name="members",
    )
    full_name = models.CharField("ФИО", max_length=300)
    position = models.CharField("должность", max_length=300, blank=True)
    organisation = models.CharField("организация", max_length=500, blank=True)
    role = models.CharField(
        "роль в группе", max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER
    )

    class Meta:
        verbose_name = "член рабочей группы"
        verbose_name_plural = "члены рабочих групп"
        ordering = ["group", "role", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class PersonModel(OwnedModel):
    """A person of the structure, optionally linked to an Opora user."""

    full_name = models.CharField("ФИО", max_length=300)
    position = models.CharField("должность", max_length=300, blank=True)
    organisation = models.CharField("организация", max_length=500, blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    email = models.EmailField("эл. почта", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь Опоры",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    since = models.DateField("с", null=True, blank=True)
    until = models.DateField("по", null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name


def _dates_ok(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=models.F("since")),
        name=f"{name}_dates",
        violation_error_message="Дата окончания не может быть раньше даты начала.",
    )


class Coordinator(PersonModel):
    """A municipal coordinator (муниципальный координатор) of the program."""

    class Meta:
        verbose_name = "муниципальный координатор"
        verbose_name_plural = "муниципальные координаторы"
        ordering = ["region", "municipality", "full_name", "id"]
        constraints = [
            _dates_ok("coordinator"),
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, school__isnull=True),
                name="coordinator_municipality",
                violation_error_message="Координатор назначается на муниципалитет.",
            ),
        ]


class CuratorAssignment(PersonModel):
    """A curator (куратор МОС) assigned to a municipality. With a user, the assignment grants the
    user the curator role over the municipality (the membership follows the assignment)."""

    class Meta:
        verbose_name = "куратор муниципалитета"
        verbose_name_plural = "кураторы муниципалитетов"
        ordering = ["region", "municipality", "full_name", "id"]
        constraints = [
            _dates_ok("curator"),
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, school__isnull=True),
                name="curator_municipality",
                violation_error_message="Куратор назначается на муниципалитет.",
            ),
        ]


class TutorAssignment(PersonModel):
    """A tutor (тьютор) assigned to a school. With a user, the assignment grants the user the
    tutor role over the school."""

    subject = models.CharField("предмет или направление", max_length=200, blank=True)

    class Meta:
        verbose_name = "тьютор школы"
        verbose_name_plural = "тьюторы школ"
        ordering = ["region", "municipality", "school", "full_name", "id"]
        constraints = [
            _dates_ok("tutor"),
            models.CheckConstraint(
                condition=Q(school__isnull=False),
                name="tutor_school",
                violation_error_message="Тьютор назначается на школу.",
            ),
        ]


class Expert(PersonModel):
    """An expert-consultant (эксперт-консультант) of the region: subject or problem they advise on."""

    specialisation = models.CharField("специализация", max_length=500, blank=True)

    class Meta:
        verbose_name = "эксперт-консультант"
        verbose_name_plural = "эксперты-консультанты"
        ordering = ["region", "full_name", "id"]
        constraints = [
            _dates_ok("expert"),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True, school__isnull=True),
                name="expert_region",
                violation_error_message="Эксперты-консультанты — ресурс региона.",
            ),
        ]
