"""The owner territory every support object carries, as programs do.

`region` is always set; `municipality` for municipal and school objects; `school` for school
objects. Who may change an object follows its owner (`support/permissions.py`); who may see it
may be wider (a partner pair is seen from both schools, an event from every participant).
"""

from django.db import models

from opora.core.models import TimeStampedModel


class OwnedModel(TimeStampedModel):
    region = models.ForeignKey(
        "territory.Region", verbose_name="регион", on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.ForeignKey(
        "territory.School",
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def fill_territory(self) -> None:
        """Take the municipality and region from the most specific territory set."""
        if self.school is not None:
            self.municipality = self.school.municipality
        if self.municipality is not None:
            self.region = self.municipality.region

    @property
    def owner_name(self) -> str:
        owner = self.school or self.municipality or self.region
        return str(owner)
