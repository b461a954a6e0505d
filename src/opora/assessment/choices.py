"""Choices of the assessment app: periods, kinds of result, import formats and batch states."""

from django.db import models


class Period(models.TextChoices):
    """The period of a procedure within a school year."""

    MAIN = "main", "основной"
    ADDITIONAL = "additional", "дополнительный"
    AUTUMN = "autumn", "осенний"


class ResultKind(models.TextChoices):
    """What a procedure yields per student."""

    MARK = "mark", "отметка 2–5"
    SCORE = "score", "тестовый балл 0–100"
    PASS_FAIL = "pass_fail", "зачёт / незачёт"


class ImportFormat(models.TextChoices):
    """Formats of result files Opora reads (see `opora.assessment.importers`)."""

    CANONICAL = "canonical", "канонический формат Опоры"


class BatchStatus(models.TextChoices):
    """The state of an import batch."""

    COMMITTED = "committed", "загружен"
    REPLACED = "replaced", "заменён повторной загрузкой"
    ROLLED_BACK = "rolled_back", "отменён"
