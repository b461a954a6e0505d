"""Users and their memberships: a role granted over a region, a municipality or a school."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from opora.accounts.roles import ROLE_LEVEL, Level, Role
from opora.core.models import TimeStampedModel


class User(AbstractUser):
    """A person who signs in to Opora. What they may see and do comes from their memberships."""

    position = models.CharField("должность", max_length=200, blank=True)
    organisation = models.CharField("организация", max_length=300, blank=True)

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"
        ordering = ["username"]


class Membership(TimeStampedModel):
    """A role of a user over one territory unit.

    Regional roles hold `region`; municipal roles (coordinator, curator) hold `municipality`;
    school roles (school team, tutor) hold `school`. A curator of three municipalities has three
    memberships.
    """

    user = models.ForeignKey(
        User, verbose_name="пользователь", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("роль", max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "territory.Region", verbose_name="регион", null=True, blank=True, on_delete=models.CASCADE
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    school = models.ForeignKey(
        "territory.School", verbose_name="школа", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = "членство (роль и территория)"
        verbose_name_plural = "членства (роли и территории)"
        ordering = ["user_id", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, municipality__isnull=True, school__isnull=True)
                    | Q(region__isnull=True, municipality__isnull=False, school__isnull=True)
                    | Q(region__isnull=True, municipality__isnull=True, school__isnull=False)
                ),
                name="membership_one_territory",
                violation_error_message="Укажите ровно одно: регион, муниципалитет или школу.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.territory}"

    @property
    def level(self) -> str:
        return ROLE_LEVEL[self.role]

    @property
    def territory(self) -> object:
        return self.region or self.municipality or self.school

    def clean(self) -> None:
        expected: tuple[str, str] = {
            str(Level.REGION): ("region", "регион"),
            str(Level.MUNICIPALITY): ("municipality", "муниципалитет"),
            str(Level.SCHOOL): ("school", "школу"),
        }[str(ROLE_LEVEL.get(self.role, Level.REGION))]
        if getattr(self, f"{expected[0]}_id") is None:
            raise ValidationError(
                {expected[0]: f"Для роли «{self.get_role_display()}» укажите {expected[1]}."}
            )
