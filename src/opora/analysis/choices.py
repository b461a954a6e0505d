"""Choices of the analysis app: methodology and run states, kinds of stored per-school output."""

from django.db import models


class MethodologyStatus(models.TextChoices):
    """The life of a methodology version: edited as a draft, approved for a year, superseded."""

    DRAFT = "draft", "черновик"
    APPROVED = "approved", "утверждена"
    SUPERSEDED = "superseded", "заменена"


class RunStatus(models.TextChoices):
    """The state of an analysis run."""

    DONE = "done", "выполнен"
    FAILED = "failed", "ошибка"


class ResultKind(models.TextChoices):
    """Which output of the analytics core a `RunSchoolResult` row holds (one per school)."""

    SHNOR = "shnor", "ШНОР и таблица оснований"
    SOCIAL = "social", "ИСБШ и ССУ"
    RISK = "risk", "рисковый профиль"
    OBJECTIVITY = "objectivity", "признаки необъективности"
    CLUSTER = "cluster", "кластеры"
    CONTEXT = "context", "контекстная модель"
    DECLINE = "decline", "риск снижения"
    PARTNERS = "partners", "школы-партнёры"
    PEERS = "peers", "сравнение с похожими школами и регионом"
    INDICATORS = "indicators", "показатели"


class Cluster(models.TextChoices):
    """Clusters of the registry (METHODOLOGY §3); codes are the core's column names."""

    NOR = "nor", "НОР"
    OVZ = "ovz", "ОВЗ"
    RKN = "rkn", "РКН"
    SSU = "ssu", "ССУ"
    MATH = "math", "математика"
    RUS = "rus", "русский язык"


class Reason(models.TextChoices):
    """Why a school is on a list: the filter «основание» of the registry."""

    R1 = "r1", "ШНОР: абсолютный критерий (R1)"
    R2 = "r2", "ШНОР: устойчиво низкий результат (R2)"
    SSU = "ssu", "ССУ: сложные социальные условия"
    SIGNS = "signs", "признаки необъективности"
    DECLINE = "decline", "риск снижения результатов"
    WATCH = "watch", "прогноз: риск попасть в ШНОР"
    RESILIENT = "resilient", "резильентная школа"
