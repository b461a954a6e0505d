"""Enumerations of the support structure and of events."""

from django.db import models


class GroupRole(models.TextChoices):
    HEAD = "head", "руководитель"
    DEPUTY = "deputy", "заместитель руководителя"
    SECRETARY = "secretary", "секретарь"
    MEMBER = "member", "член группы"


class PartnerKind(models.TextChoices):
    """What the partner of a low-result school is."""

    SCHOOL = "school", "школа-партнёр"
    RIP = "rip", "региональная инновационная площадка (РИП)"
    MIP = "mip", "муниципальная инновационная площадка (МИП)"


class PairOrigin(models.TextChoices):
    MANUAL = "manual", "вручную"
    SUGGESTION = "suggestion", "из предложений анализа"


class NetworkRole(models.TextChoices):
    COORDINATOR = "coordinator", "координатор сети"
    MEMBER = "member", "участник"


class Problem(models.TextChoices):
    """Problems a base school (базовая школа) is chosen for; the clusters of DOMAIN §5.5."""

    MATH = "math", "преподавание математики"
    RUSSIAN = "russian", "преподавание русского языка"
    OBJECTIVITY = "objectivity", "объективность оценивания"
    OVZ = "ovz", "обучение детей с ОВЗ"
    RKN = "rkn", "обучение детей с русским как неродным"
    SOCIAL = "social", "сложные социальные условия"
    MOTIVATION = "motivation", "учебная мотивация"
    MANAGEMENT = "management", "управление и ВСОКО"
    CAREER = "career", "профориентация"


class EventKind(models.TextChoices):
    SEMINAR = "seminar", "семинар"
    MASTER_CLASS = "master_class", "мастер-класс"
    CONFERENCE = "conference", "конференция"
    CONTEST = "contest", "конкурс"
    METHODICAL_WEEK = "methodical_week", "методическая неделя"
    INTERNSHIP = "internship", "стажировка"
    COURSE = "course", "курсы"
    CONSULTATION = "consultation", "консультация"
    STRATEGIC_SESSION = "strategic_session", "стратегическая сессия"
    RALLY = "rally", "слёт"
    PROJECT = "project", "проект"


class EventLevel(models.TextChoices):
    SCHOOL = "school", "школьный"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"
    INTERREGIONAL = "interregional", "межрегиональный"


class Audience(models.TextChoices):
    TEACHERS = "teachers", "учителя"
    ADMINISTRATORS = "administrators", "руководители и заместители"
    SPECIALISTS = "specialists", "педагоги-психологи и специалисты"
    STUDENTS = "students", "обучающиеся"
    PARENTS = "parents", "родители"
    MIXED = "mixed", "смешанная аудитория"
