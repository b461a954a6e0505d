"""Events (мероприятия): seminars, master classes, conferences, contests, methodical weeks,
internships, courses, consultations, strategic sessions, rallies and projects."""

from django.db import models
from django.db.models import F, Q

from opora.core.models import TimeStampedModel
from opora.support.choices import Audience, EventKind, EventLevel
from opora.support.models.base import OwnedModel


class Event(OwnedModel):
    """An event with its organiser (the owner territory and `organiser` as written), level,
    topic, hours, audience and the schools that took part.

    `municipalities` lists the owner's municipality and those of the participating schools, so
    each of them sees the event (kept by the service).
    """

    kind = models.CharField("вид", max_length=20, choices=EventKind.choices)
    level = models.CharField("уровень", max_length=14, choices=EventLevel.choices)
    topic = models.CharField("тема", max_length=1000)
    date_start = models.DateField("дата")
    date_end = models.DateField("дата окончания", null=True, blank=True)
    organiser = models.CharField("организатор", max_length=500, blank=True)
    hours = models.DecimalField("часов", max_digits=6, decimal_places=1, null=True, blank=True)
    audience = models.CharField("целевая аудитория", max_length=16, choices=Audience.choices)
    participants_total = models.PositiveIntegerField("участников всего", default=0)
    activity = models.ForeignKey(
        "programs.Activity",
        verbose_name="мероприятие дорожной карты",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    municipalities = models.ManyToManyField(
        "territory.Municipality", verbose_name="муниципалитеты", related_name="+", blank=True
    )

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["-date_start", "topic", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__isnull=True) | Q(date_end__gte=F("date_start")),
                name="event_dates",
                violation_error_message="Дата окончания не может быть раньше даты начала.",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="event_hours",
                violation_error_message="Число часов не может быть отрицательным.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic}"[:200]


class EventParticipation(TimeStampedModel):
    """A school that took part in an event and how many of its people came."""

    event = models.ForeignKey(
        Event, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="participations"
    )
    school = models.ForeignKey(
        "territory.School", verbose_name="школа", on_delete=models.PROTECT, related_name="+"
    )
    participants = models.PositiveIntegerField("участников", default=0)

    class Meta:
        verbose_name = "участие школы"
        verbose_name_plural = "участие школ"
        ordering = ["event", "school", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "school"], name="event_school_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.participants}"
