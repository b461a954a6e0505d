"""Names, organisations and event topics of the demo support structure (seeds 000, 003, 004)."""

from opora.support.choices import Audience, EventKind

SURNAMES = [
    "Алексеева",
    "Белова",
    "Васильева",
    "Григорьева",
    "Дмитриева",
    "Егорова",
    "Жукова",
    "Зайцева",
    "Ильина",
    "Карпова",
    "Комарова",
    "Лаптева",
    "Макарова",
    "Никитина",
    "Орлова",
    "Полякова",
    "Романова",
    "Семёнова",
    "Тихонова",
    "Устинова",
    "Фёдорова",
    "Ханина",
    "Цветкова",
    "Чернова",
    "Шилова",
    "Щербакова",
    "Юдина",
    "Яковлева",
    "Борисова",
    "Гусева",
]
INITIALS = [
    "А. В.",
    "Е. С.",
    "Н. П.",
    "О. Н.",
    "Т. А.",
    "Л. М.",
    "И. Г.",
    "С. В.",
    "М. Ю.",
    "Г. И.",
]
MALE = ["Андреев", "Быков", "Воронин", "Голубев", "Денисов", "Ершов", "Зуев", "Киселёв", "Лебедев"]

RESOURCE_CENTRE = "Институт развития образования Приозёрной области"
EXPERT_FIELDS = [
    "математика, подготовка к ГИА",
    "русский язык и литература, итоговое сочинение",
    "управление качеством образования, ВСОКО",
    "объективность оценивания, перепроверка ВПР",
    "инклюзивное образование, обучение детей с ОВЗ",
    "русский язык как неродной",
]

# (kind, topic, audience, hours)
REGIONAL_EVENTS: list[tuple[str, str, str, int]] = [
    (
        EventKind.SEMINAR,
        "Анализ результатов ВПР и ГИА: от данных к управленческим решениям",
        Audience.ADMINISTRATORS,
        6,
    ),
    (
        EventKind.COURSE,
        "Переход школы в эффективный режим функционирования",
        Audience.ADMINISTRATORS,
        36,
    ),
    (
        EventKind.COURSE,
        "Преодоление профессиональных дефицитов учителя математики",
        Audience.TEACHERS,
        36,
    ),
    (
        EventKind.CONFERENCE,
        "Эффективные практики повышения качества образования",
        Audience.MIXED,
        8,
    ),
    (
        EventKind.STRATEGIC_SESSION,
        "Антирисковые программы: цели, меры, показатели",
        Audience.ADMINISTRATORS,
        6,
    ),
    (
        EventKind.INTERNSHIP,
        "Стажировка на базе школ с высокими результатами",
        Audience.TEACHERS,
        16,
    ),
    (
        EventKind.MASTER_CLASS,
        "Формирование функциональной грамотности на уроках русского языка",
        Audience.TEACHERS,
        4,
    ),
    (
        EventKind.CONTEST,
        "Региональный конкурс «Лучшая практика сетевого взаимодействия»",
        Audience.TEACHERS,
        0,
    ),
    (EventKind.RALLY, "Слёт школьных команд – участников программы", Audience.MIXED, 8),
    (
        EventKind.CONSULTATION,
        "Объективность оценивания: вопросы и ответы",
        Audience.ADMINISTRATORS,
        2,
    ),
]
MUNICIPAL_EVENTS: list[tuple[str, str, str, int]] = [
    (
        EventKind.SEMINAR,
        "Использование результатов оценочных процедур в работе школы",
        Audience.ADMINISTRATORS,
        4,
    ),
    (
        EventKind.MASTER_CLASS,
        "Методика решения заданий КИМ ОГЭ по математике",
        Audience.TEACHERS,
        3,
    ),
    (EventKind.METHODICAL_WEEK, "Методическая неделя «Современный урок»", Audience.TEACHERS, 12),
    (EventKind.CONSULTATION, "Подготовка к итоговому собеседованию", Audience.TEACHERS, 2),
    (EventKind.CONSULTATION, "Родительское собрание «Вместе навстречу ОГЭ»", Audience.PARENTS, 2),
    (EventKind.PROJECT, "Проект «ГИА без стресса»", Audience.STUDENTS, 10),
    (EventKind.CONTEST, "Конкурс методических разработок «Урок года»", Audience.TEACHERS, 0),
]
SCHOOL_EVENTS: list[tuple[str, str, str, int]] = [
    (
        EventKind.METHODICAL_WEEK,
        "Неделя открытых уроков со школой-партнёром",
        Audience.TEACHERS,
        10,
    ),
    (EventKind.CONSULTATION, "Консультация тьютора по подготовке к ВПР", Audience.TEACHERS, 2),
    (
        EventKind.SEMINAR,
        "Педагогический совет «Причины низких результатов и пути их преодоления»",
        Audience.TEACHERS,
        3,
    ),
]
NETWORKS = [
    (
        "Сетевое сообщество учителей математики школ – участников программы",
        "преподавание математики",
    ),
    ("Сетевое сообщество учителей русского языка", "преподавание русского языка"),
]
CONSULTATION_POINT = (
    "Консультационный пункт по вопросам ГИА",
    "ГИА-9 и ГИА-11, психологическая готовность",
    "обучающиеся и родители",
)
