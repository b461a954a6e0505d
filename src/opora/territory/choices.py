"""Enumerations of the territory and school registry."""

from django.db import models


class MunicipalityKind(models.TextChoices):
    """Kind of municipal formation (вид муниципального образования)."""

    MUNICIPAL_DISTRICT = "district", "муниципальный район"
    MUNICIPAL_OKRUG = "okrug", "муниципальный округ"
    CITY_DISTRICT = "city_district", "городской округ"
    CITY = "city", "город"


class PopulationBand(models.TextChoices):
    """Population band of a settlement, as DOMAIN §4 names them."""

    LT_1K = "lt1k", "до 1 тыс."
    K1_5 = "1-5k", "1–5 тыс."
    K5_10 = "5-10k", "5–10 тыс."
    K10_50 = "10-50k", "10–50 тыс."
    K50_100 = "50-100k", "50–100 тыс."
    GT_100K = "gt100k", "более 100 тыс."


# Lower bounds of the bands, in people; the band is the last bound not above the population.
POPULATION_BAND_LOWER_BOUNDS: list[tuple[int, str]] = [
    (0, PopulationBand.LT_1K),
    (1_000, PopulationBand.K1_5),
    (5_000, PopulationBand.K5_10),
    (10_000, PopulationBand.K10_50),
    (50_000, PopulationBand.K50_100),
    (100_000, PopulationBand.GT_100K),
]


def population_band(population: int) -> str:
    """Return the band code of a settlement with `population` people."""
    band = PopulationBand.LT_1K.value
    for lower, code in POPULATION_BAND_LOWER_BOUNDS:
        if population >= lower:
            band = str(code)
    return band


class SchoolType(models.TextChoices):
    """Type of general education school."""

    NOSH = "nosh", "НОШ (начальная)"
    OOSH = "oosh", "ООШ (основная)"
    SOSH = "sosh", "СОШ (средняя)"
    GYMNASIUM = "gymnasium", "гимназия"
    LYCEUM = "lyceum", "лицей"
    EVENING = "evening", "вечерняя (сменная)"
    CORRECTIONAL = "correctional", "коррекционная"


class TransportAccess(models.TextChoices):
    """How far the school is from a big city in travel time."""

    DAILY = "daily", "ежедневная поездка в крупный город возможна"
    ONE_DAY = "one_day", "поездка туда и обратно за один день"
    TWO_DAYS = "two_days", "поездка занимает два дня и более"


class SizeBand(models.TextChoices):
    """Size of a school by number of students, for list filters."""

    SMALL = "small", "малокомплектная (до 100)"
    MEDIUM = "medium", "средняя (100–500)"
    LARGE = "large", "большая (500–1000)"
    XLARGE = "xlarge", "крупная (более 1000)"


SIZE_BAND_BOUNDS: dict[str, tuple[int, int | None]] = {
    SizeBand.SMALL: (0, 100),
    SizeBand.MEDIUM: (100, 500),
    SizeBand.LARGE: (500, 1000),
    SizeBand.XLARGE: (1000, None),
}
