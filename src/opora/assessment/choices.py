"""Choices of the assessment app: periods, kinds of result, medals, import formats, batch states."""

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


class Medal(models.TextChoices):
    """The medal «За особые успехи в учении» of a graduate (I степени = gold, II = silver)."""

    NONE = "", "нет"
    GOLD = "gold", "золотая (I степени)"
    SILVER = "silver", "серебряная (II степени)"


class ImportFormat(models.TextChoices):
    """Formats of result files Opora reads (see `opora.assessment.importers`)."""

    CANONICAL = "canonical", "канонический формат Опоры"
    VPR_FORM = "vpr-form", "форма сбора результатов ВПР (школа)"
    GIA = "gia", "результаты ГИА из РЦОИ (ОГЭ, ЕГЭ, ГВЭ)"


class BatchStatus(models.TextChoices):
    """The state of an import batch."""

    COMMITTED = "committed", "загружен"
    REPLACED = "replaced", "заменён повторной загрузкой"
    ROLLED_BACK = "rolled_back", "отменён"
