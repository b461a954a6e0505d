"""Choices of the programs app: levels, kinds, workflow and activity statuses, deadline kinds."""

from django.db import models


class ProgramLevel(models.TextChoices):
    REGION = "region", "региональный"
    MUNICIPALITY = "municipality", "муниципальный"
    SCHOOL = "school", "школьный"


class ProgramKind(models.TextChoices):
    """What document the program is; each kind belongs to one level (see `KIND_LEVEL`)."""

    REGIONAL = "regional", "региональная программа"
    MUNICIPAL = "municipal", "муниципальная программа"
    ANTI_RISK = "anti_risk", "антирисковая программа"
    TRANSITION = "transition", "программа перехода в эффективный режим функционирования"


KIND_LEVEL: dict[str, str] = {
    ProgramKind.REGIONAL: ProgramLevel.REGION,
    ProgramKind.MUNICIPAL: ProgramLevel.MUNICIPALITY,
    ProgramKind.ANTI_RISK: ProgramLevel.SCHOOL,
    ProgramKind.TRANSITION: ProgramLevel.SCHOOL,
}


class ProgramStatus(models.TextChoices):
    """The review workflow: a draft is submitted, then approved or returned with comments."""

    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "на рассмотрении"
    RETURNED = "returned", "возвращена на доработку"
    APPROVED = "approved", "утверждена"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнено"
    NOT_DONE = "not_done", "не выполнено"
    CANCELLED = "cancelled", "отменено"


CLOSED_STATUSES = frozenset({ActivityStatus.DONE, ActivityStatus.CANCELLED})


class DeadlineKind(models.TextChoices):
    """How the deadline was written; the values match `opora.programs.deadlines.Kind`."""

    DATE = "date", "дата"
    PERIOD = "period", "период"
    MONTHS = "months", "месяцы"
    RECURRING = "recurring", "регулярно"
    DURING_YEAR = "during_year", "в течение года"
    ON_REQUEST = "on_request", "по запросу"
    BY_SCHEDULE = "by_schedule", "по графику (плану)"
    UNPARSED = "unparsed", "не распознан"


class TargetDirection(models.TextChoices):
    HIGHER_BETTER = "higher_better", "чем больше, тем лучше"
    LOWER_BETTER = "lower_better", "чем меньше, тем лучше"


class ActualSource(models.TextChoices):
    DATA = "data", "рассчитано по данным"
    MANUAL = "manual", "введено вручную"


class TargetStatus(models.TextChoices):
    """The status of a target by the rule (`TargetStatusRule`)."""

    ACHIEVED = "achieved", "достигнут"
    ON_TRACK = "on_track", "в графике"
    BEHIND = "behind", "отстаёт"
    NO_DATA = "no_data", "нет данных"
