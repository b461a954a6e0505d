"""The step that creates the demo users, one per role, all with the password `demo`."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission

from opora.accounts.models import Membership, User
from opora.accounts.roles import Role
from opora.demo import names
from opora.demo.context import DemoContext, demo_step
from opora.territory.choices import MunicipalityKind
from opora.territory.models import Municipality, School

DEMO_PASSWORD = "demo"
STAFF_GROUP = "Демо: администраторы справочников"
RURAL_KINDS = (MunicipalityKind.MUNICIPAL_DISTRICT, MunicipalityKind.MUNICIPAL_OKRUG)


@dataclass(frozen=True)
class DemoUser:
    """A demo login: who the person is and which role they hold."""

    username: str
    role: str | None
    first_name: str
    last_name: str
    position: str
    organisation: str


MINISTRY = f"Министерство образования {names.REGION_GENITIVE}"
DEMO_USERS = [
    DemoUser(
        "demo-region",
        Role.REGION_ADMIN,
        "Ирина",
        "Соколова",
        "начальник отдела общего образования",
        MINISTRY,
    ),
    DemoUser(
        "demo-resource",
        Role.RESOURCE_CENTRE,
        "Андрей",
        "Лебедев",
        "руководитель центра непрерывного повышения профмастерства",
        f"Институт развития образования {names.REGION_GENITIVE}",
    ),
    DemoUser(
        "demo-monitoring",
        Role.MONITORING_CENTRE,
        "Елена",
        "Кузнецова",
        "начальник отдела мониторинга",
        f"Центр оценки качества образования {names.REGION_GENITIVE}",
    ),
    DemoUser(
        "demo-municipality",
        Role.MUNICIPAL_COORDINATOR,
        "Ольга",
        "Морозова",
        "муниципальный координатор",
        "Управление образования",
    ),
    DemoUser(
        "demo-curator",
        Role.CURATOR,
        "Сергей",
        "Волков",
        "куратор муниципалитетов",
        f"Институт развития образования {names.REGION_GENITIVE}",
    ),
    DemoUser(
        "demo-tutor", Role.TUTOR, "Наталья", "Смирнова", "тьютор школ", "Управление образования"
    ),
    DemoUser(
        "demo-school", Role.SCHOOL_ADMIN, "Татьяна", "Павлова", "заместитель директора по УВР", ""
    ),
    DemoUser("demo-observer", Role.OBSERVER, "Михаил", "Новиков", "член общественного совета", ""),
    DemoUser("admin", None, "Администратор", "Системы", "администратор системы", MINISTRY),
]


def _rural_with_schools(ctx: DemoContext) -> list[tuple[Municipality, list[School]]]:
    """Rural municipalities with their schools, largest first (ties by code)."""
    by_code: dict[str, list[School]] = {}
    for school in ctx.schools:
        by_code.setdefault(school.municipality.code, []).append(school)
    rural = [m for m in ctx.municipalities if m.kind in RURAL_KINDS]
    rural.sort(key=lambda m: (-len(by_code.get(m.code, [])), m.code))
    return [(m, by_code.get(m.code, [])) for m in rural]


def _scopes(ctx: DemoContext) -> dict[str, list[dict[str, object]]]:
    """Territory of every demo role: the region, or chosen municipalities and schools."""
    rng = ctx.rng_for("users")
    rural = _rural_with_schools(ctx)
    home, home_schools = rural[min(1, len(rural) - 1)]  # a typical district, not the biggest
    curated = [m for m, _ in rural if m.pk != home.pk][:2] or [home]
    small_first = sorted(home_schools, key=lambda s: (ctx.profiles[s.code].size, s.code))
    tutored = small_first[: min(3, len(small_first))]
    sosh = [s for s in home_schools if s.school_type == "sosh" and not s.is_urban] or home_schools
    school = rng.choice(sosh)
    region = [{"region": ctx.region}]
    return {
        Role.REGION_ADMIN: region,
        Role.RESOURCE_CENTRE: region,
        Role.MONITORING_CENTRE: region,
        Role.MUNICIPAL_COORDINATOR: [{"municipality": home}],
        Role.CURATOR: [{"municipality": m} for m in curated],
        Role.TUTOR: [{"school": s} for s in tutored],
        Role.SCHOOL_ADMIN: [{"school": school}],
        Role.OBSERVER: region,
    }


def _staff_group() -> Group:
    """A group with the permissions on Opora's reference and registry models for the regional
    administrator; users, memberships and the audit trail stay with the superuser, so the
    regional administrator cannot widen their own rights in the admin."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    labels = [
        c.label
        for c in apps.get_app_configs()
        if c.name.startswith("opora.") and c.label not in {"accounts", "core"}
    ]
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=labels))
    return group


@demo_step("Демо-пользователи")
def build_users(ctx: DemoContext) -> None:
    """Create the demo users with their memberships; `admin` is the only superuser."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    scopes = _scopes(ctx)
    group = _staff_group()
    for spec in DEMO_USERS:
        municipality = scopes[spec.role][0].get("municipality") if spec.role else None
        organisation = spec.organisation
        if spec.role == Role.MUNICIPAL_COORDINATOR and isinstance(municipality, Municipality):
            organisation = f"Управление образования, {municipality.name}"
        user = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@demo.opora.local",
            position=spec.position,
            organisation=organisation,
            password=password,
            is_staff=spec.role in (None, Role.REGION_ADMIN),
            is_superuser=spec.role is None,
        )
        user.full_clean(exclude=["password"])
        user.save()
        if spec.role == Role.REGION_ADMIN:
            user.groups.add(group)
        for territory in scopes.get(spec.role, []) if spec.role else []:
            membership = Membership(user=user, role=str(spec.role), **territory)
            membership.full_clean()
            membership.save()
        ctx.users[spec.username] = user
