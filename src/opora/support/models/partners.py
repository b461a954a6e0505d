"""Partnerships: partner pairs with their agreements, methodical networks, base schools by
problem and consultation points."""

from django.db import models
from django.db.models import F, Q

from opora.core.models import TimeStampedModel
from opora.support.choices import NetworkRole, PairOrigin, PartnerKind, Problem
from opora.support.models.base import OwnedModel


def agreement_path(instance: "PartnerPair", filename: str) -> str:
    return f"support/agreements/{instance.school_id}/{filename}"


class PartnerPair(OwnedModel):
    """A low-result school (`school`) and its partner: a strong school or an innovation site
    (РИП/МИП), with the agreement (соглашение о сетевом взаимодействии) between them.

    `schools` holds both schools so that each side sees the pair (it is kept by the service).
    """

    partner = models.ForeignKey(
        "territory.School",
        verbose_name="школа-партнёр",
        on_delete=models.PROTECT,
        related_name="+",
    )
    partner_kind = models.CharField(
        "вид партнёра", max_length=8, choices=PartnerKind.choices, default=PartnerKind.SCHOOL
    )
    focus = models.CharField("направления работы (предметы, проблемы)", max_length=500, blank=True)
    agreement_number = models.CharField("номер соглашения", max_length=50, blank=True)
    agreement_date = models.DateField("дата соглашения", null=True, blank=True)
    agreement_file = models.FileField(
        "файл соглашения", upload_to=agreement_path, max_length=300, blank=True
    )
    since = models.DateField("с", null=True, blank=True)
    until = models.DateField("по", null=True, blank=True)
    origin = models.CharField(
        "как создана", max_length=10, choices=PairOrigin.choices, default=PairOrigin.MANUAL
    )
    origin_note = models.CharField("основание (предложение анализа)", max_length=300, blank=True)
    schools = models.ManyToManyField(
        "territory.School", verbose_name="школы пары", related_name="+", blank=True
    )

    class Meta:
        verbose_name = "партнёрская пара"
        verbose_name_plural = "партнёрские пары"
        ordering = ["region", "municipality", "school", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False) & ~Q(school=F("partner")),
                name="pair_two_schools",
                violation_error_message="Школа не может быть партнёром самой себе.",
            ),
            models.UniqueConstraint(
                fields=["school", "partner"],
                name="pair_unique",
                violation_error_message="Такая пара уже есть.",
            ),
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="pair_dates",
                violation_error_message="Дата окончания не может быть раньше даты начала.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} ↔ {self.partner}"


class MethodicalNetwork(OwnedModel):
    """A methodical network (методическая сеть, сетевое сообщество) of schools on a topic.

    `municipalities` lists the owner's municipality and those of the member schools, so each of
    them sees the network (kept by the service).
    """

    name = models.CharField("наименование", max_length=500)
    topic = models.CharField("тема", max_length=500, blank=True)
    since = models.DateField("с", null=True, blank=True)
    municipalities = models.ManyToManyField(
        "territory.Municipality", verbose_name="муниципалитеты", related_name="+", blank=True
    )

    class Meta:
        verbose_name = "методическая сеть"
        verbose_name_plural = "методические сети"
        ordering = ["region", "municipality", "name", "id"]

    def __str__(self) -> str:
        return self.name


class NetworkMember(TimeStampedModel):
    """A school in a methodical network."""

    network = models.ForeignKey(
        MethodicalNetwork, verbose_name="сеть", on_delete=models.CASCADE, related_name="members"
    )
    school = models.ForeignKey(
        "territory.School", verbose_name="школа", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        "роль", max_length=12, choices=NetworkRole.choices, default=NetworkRole.MEMBER
    )

    class Meta:
        verbose_name = "школа сети"
        verbose_name_plural = "школы сетей"
        ordering = ["network", "role", "school", "id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "school"], name="network_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school} в {self.network}"


class BaseSchool(OwnedModel):
    """A base school (базовая школа) chosen for one problem: others come to learn from it."""

    problem = models.CharField("проблема", max_length=12, choices=Problem.choices)
    note = models.TextField("чем может помочь", blank=True)
    since = models.DateField("с", null=True, blank=True)

    class Meta:
        verbose_name = "базовая школа"
        verbose_name_plural = "базовые школы"
        ordering = ["region", "problem", "school", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False),
                name="base_school_school",
                violation_error_message="Укажите школу.",
            ),
            models.UniqueConstraint(
                fields=["school", "problem"],
                name="base_school_unique",
                violation_error_message="Школа уже базовая по этой проблеме.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_problem_display()}"


class ConsultationPoint(OwnedModel):
    """A consultation point (консультационный пункт, «горячая линия») of a municipality."""

    name = models.CharField("наименование", max_length=500)
    topic = models.CharField("вопросы", max_length=500, blank=True)
    audience = models.CharField("для кого", max_length=300, blank=True)
    address = models.CharField("адрес или ссылка", max_length=500, blank=True)
    schedule = models.CharField("график работы", max_length=300, blank=True)
    contact = models.CharField("контакты", max_length=300, blank=True)

    class Meta:
        verbose_name = "консультационный пункт"
        verbose_name_plural = "консультационные пункты"
        ordering = ["region", "municipality", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, school__isnull=True),
                name="consultation_point_municipality",
                violation_error_message="Консультационный пункт относится к муниципалитету.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
