"""The demo step of the support structure: working groups, coordinators, curators, tutors,
experts, partner pairs with agreements, methodical networks, base schools, consultation points
and a school year of events.

The demo users keep their scopes: the curator is assigned to the two municipalities it already
curates and the tutor to its schools. Rows are written in bulk after `full_clean`, with one
«создание» audit entry each; everything draws from `ctx.rng_for("support")`.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from opora.core.audit import diff, snapshot_fields
from opora.core.models import AuditEntry
from opora.demo import support_vocabulary as vocab
from opora.demo.context import DemoContext, demo_step
from opora.demo.results.plan import SchoolPlan, build_plans, plant_cases
from opora.support import models as m
from opora.support.choices import EventLevel, GroupRole, NetworkRole, PartnerKind, Problem
from opora.territory.choices import SchoolType

DEMO = AuditEntry.Source.DEMO
REGULAR = {SchoolType.SOSH, SchoolType.OOSH, SchoolType.GYMNASIUM, SchoolType.LYCEUM}


def _plans(ctx: DemoContext) -> list[SchoolPlan]:
    rng = ctx.rng_for("results")
    plans = build_plans(ctx, rng)
    plant_cases(plans, tuple(ctx.years), rng)
    return plans


def _person(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return f"{rng.choice(vocab.MALE)} {rng.choice(vocab.INITIALS)}"
    return f"{rng.choice(vocab.SURNAMES)} {rng.choice(vocab.INITIALS)}"


def _save(objects: list[Any]) -> list[Any]:
    """Validate (no queries) and write objects of one model in bulk, with audit entries."""
    if not objects:
        return objects
    model = type(objects[0])
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for obj in objects:
        if hasattr(obj, "fill_territory"):
            obj.fill_territory()
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    saved = model.objects.bulk_create(objects, batch_size=1000)
    ctype = ContentType.objects.get_for_model(model)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action=AuditEntry.Action.CREATE,
                source=DEMO,
                content_type=ctype,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                changes=diff({}, snapshot_fields(obj)),
                comment="Создано демо-генератором",
            )
            for obj in saved
        ],
        batch_size=1000,
    )
    return saved


def _through(field: Any, rows: list[tuple[Any, Any]]) -> None:
    through = field.remote_field.through
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    through.objects.bulk_create([through(**{source: a, target: b}) for a, b in sorted(set(rows))])


def _people(ctx: DemoContext, rng: random.Random, registry: list[Any]) -> None:
    region = ctx.region
    users = ctx.users
    groups = [
        m.WorkingGroup(
            region=region,
            name="Региональная рабочая группа по реализации программы",
            order_number="01-12/345",
            order_date=dt.date(ctx.years[-1], 8, 20),
        )
    ]
    groups += [
        m.WorkingGroup(
            region=region,
            municipality=municipality,
            name=f"Рабочая группа по реализации муниципальной программы: {municipality.name}",
            order_number=f"{rng.randint(100, 999)}",
            order_date=dt.date(ctx.years[-1], 8, rng.randint(20, 31)),
        )
        for municipality in ctx.municipalities
    ]
    groups = _save(groups)
    members = []
    for group in groups:
        count = rng.randint(4, 7)
        for index in range(count):
            role = (
                GroupRole.HEAD
                if index == 0
                else (GroupRole.SECRETARY if index == 1 else GroupRole.MEMBER)
            )
            members.append(
                m.WorkingGroupMember(
                    group=group,
                    full_name=_person(rng),
                    position="начальник управления" if index == 0 else "методист",
                    organisation="Управление образования"
                    if group.municipality_id
                    else vocab.RESOURCE_CENTRE,
                    role=role,
                )
            )
    m.WorkingGroupMember.objects.bulk_create(members)
    home = {ms.municipality_id for ms in users["demo-municipality"].memberships.all()}
    _save(
        [
            m.Coordinator(
                region=region,
                municipality=municipality,
                full_name=(
                    f"{users['demo-municipality'].last_name} {users['demo-municipality'].first_name}"
                    if municipality.pk in home
                    else _person(rng)
                ),
                position="муниципальный координатор",
                organisation="Управление образования",
                user=users["demo-municipality"] if municipality.pk in home else None,
                since=dt.date(ctx.years[-1], 9, 1),
            )
            for municipality in ctx.municipalities
        ]
    )
    curated = {ms.municipality_id for ms in users["demo-curator"].memberships.all()}
    curator = users["demo-curator"]
    others = [mu for mu in ctx.municipalities if mu.pk not in curated]
    names = [_person(rng) for _ in range(max(1, len(others) // 3 + 1))]
    _save(
        [
            m.CuratorAssignment(
                region=region,
                municipality=mu,
                full_name=f"{curator.last_name} {curator.first_name}",
                organisation=vocab.RESOURCE_CENTRE,
                position="куратор",
                user=curator,
                since=dt.date(ctx.years[-1], 9, 1),
            )
            for mu in ctx.municipalities
            if mu.pk in curated
        ]
        + [
            m.CuratorAssignment(
                region=region,
                municipality=mu,
                full_name=names[index // 3],
                organisation=vocab.RESOURCE_CENTRE,
                position="куратор",
                since=dt.date(ctx.years[-1], 9, 1),
            )
            for index, mu in enumerate(others)
        ]
    )
    tutor = users["demo-tutor"]
    tutored = [ms.school for ms in tutor.memberships.select_related("school")]
    _save(
        [
            m.TutorAssignment(
                region=region,
                school=school,
                full_name=f"{tutor.last_name} {tutor.first_name}",
                organisation="Управление образования",
                subject="математика",
                user=tutor,
                since=dt.date(ctx.years[-1], 9, 1),
            )
            for school in tutored
        ]
        + [
            m.TutorAssignment(
                region=region,
                school=school,
                full_name=_person(rng),
                organisation="Центр развития образования",
                subject=rng.choice(["математика", "русский язык"]),
                since=dt.date(ctx.years[-1], 9, 1),
            )
            for school in registry
            if school not in tutored
        ]
    )
    _save(
        [
            m.Expert(
                region=region,
                full_name=_person(rng),
                organisation=vocab.RESOURCE_CENTRE,
                position="эксперт-консультант",
                specialisation=field,
            )
            for field in vocab.EXPERT_FIELDS
        ]
    )


def _partners(ctx: DemoContext, rng: random.Random, plans: list[SchoolPlan]) -> list[Any]:
    """A partner for every registry school: the strongest ordinary school of its municipality
    (of the region when the municipality has none); base schools by problem."""
    registry = [p for p in plans if p.case == "low"]
    strong = sorted(
        (p for p in plans if p.case in ("", "resilient") and p.school_type in REGULAR),
        key=lambda p: (-p.ability, p.code),
    )
    used: dict[int, int] = defaultdict(int)
    pairs = []
    for plan in registry:
        same = [p for p in strong if p.school.municipality_id == plan.school.municipality_id]
        partner = next((p for p in same + strong if used[p.school.pk] < 2), strong[0])
        used[partner.school.pk] += 1
        kind = (
            PartnerKind.RIP
            if partner.school_type in (SchoolType.GYMNASIUM, SchoolType.LYCEUM)
            else PartnerKind.SCHOOL
        )
        pairs.append(
            m.PartnerPair(
                region=ctx.region,
                school=plan.school,
                partner=partner.school,
                partner_kind=kind,
                focus="математика, русский язык",
                agreement_number=f"{rng.randint(1, 99)}-СВ",
                agreement_date=dt.date(ctx.years[-1], 9, rng.randint(5, 30)),
                since=dt.date(ctx.years[-1], 9, 1),
            )
        )
    pairs = _save(pairs)
    _through(
        m.PartnerPair._meta.get_field("schools"),
        [(p.pk, p.school_id) for p in pairs] + [(p.pk, p.partner_id) for p in pairs],
    )
    base = []
    for problem, plan in zip(
        [Problem.MATH, Problem.RUSSIAN, Problem.OBJECTIVITY, Problem.MANAGEMENT, Problem.OVZ],
        strong[:5],
        strict=False,
    ):
        base.append(
            m.BaseSchool(
                region=ctx.region,
                school=plan.school,
                problem=problem,
                note="Стажировки, открытые уроки, консультации",
                since=dt.date(ctx.years[-1], 9, 1),
            )
        )
    _save(base)
    return [p.school for p in strong[:5]]


def _networks(ctx: DemoContext, registry: list[Any], base: list[Any]) -> None:
    networks = _save(
        [
            m.MethodicalNetwork(
                region=ctx.region, name=name, topic=topic, since=dt.date(ctx.years[-1], 10, 1)
            )
            for name, topic in vocab.NETWORKS
        ]
    )
    members = []
    for network, coordinator in zip(networks, base, strict=False):
        schools = {s.pk: s for s in [coordinator, *registry]}
        for school in schools.values():
            role = NetworkRole.COORDINATOR if school.pk == coordinator.pk else NetworkRole.MEMBER
            members.append(m.NetworkMember(network=network, school=school, role=role))
    m.NetworkMember.objects.bulk_create(members)
    _through(
        m.MethodicalNetwork._meta.get_field("municipalities"),
        [(x.network_id, x.school.municipality_id) for x in members],
    )


def _events(ctx: DemoContext, rng: random.Random, registry: list[Any]) -> None:
    """A school year of events: regional, municipal and school ones, with participants."""
    year = ctx.years[-1]
    first, last = dt.date(year, 9, 5), dt.date(year + 1, 5, 29)
    span = (last - first).days
    by_municipality: dict[int, list[Any]] = defaultdict(list)
    for school in ctx.schools:
        by_municipality[school.municipality_id].append(school)
    drafts: list[tuple[m.Event, list[tuple[Any, int]]]] = []

    def when() -> dt.date:
        return first + dt.timedelta(days=rng.randint(0, span))

    for kind, topic, audience, hours in vocab.REGIONAL_EVENTS:
        schools = rng.sample(registry, k=min(len(registry), rng.randint(3, 10)))
        parts = [(s, rng.randint(1, 4)) for s in schools]
        event = m.Event(
            region=ctx.region,
            kind=kind,
            level=EventLevel.REGIONAL,
            topic=topic,
            date_start=when(),
            organiser=vocab.RESOURCE_CENTRE,
            hours=Decimal(hours) if hours else None,
            audience=audience,
            participants_total=sum(n for _, n in parts) + rng.randint(10, 60),
        )
        drafts.append((event, parts))
    for municipality in ctx.municipalities:
        pool = by_municipality[municipality.pk]
        for kind, topic, audience, hours in rng.sample(vocab.MUNICIPAL_EVENTS, k=3):
            schools = rng.sample(pool, k=min(len(pool), rng.randint(2, 6)))
            parts = [(s, rng.randint(1, 8)) for s in schools]
            event = m.Event(
                region=ctx.region,
                municipality=municipality,
                kind=kind,
                level=EventLevel.MUNICIPAL,
                topic=topic,
                date_start=when(),
                organiser="Управление образования",
                hours=Decimal(hours) if hours else None,
                audience=audience,
                participants_total=sum(n for _, n in parts),
            )
            drafts.append((event, parts))
    for school in registry:
        for kind, topic, audience, hours in rng.sample(vocab.SCHOOL_EVENTS, k=2):
            count = rng.randint(6, 25)
            event = m.Event(
                region=ctx.region,
                school=school,
                kind=kind,
                level=EventLevel.SCHOOL,
                topic=topic,
                date_start=when(),
                organiser=school.short_name,
                hours=Decimal(hours),
                audience=audience,
                participants_total=count,
            )
            drafts.append((event, [(school, count)]))
    events = _save([e for e, _ in drafts])
    rows = [
        m.EventParticipation(event=e, school=s, participants=n)
        for e, (_, parts) in zip(events, drafts, strict=True)
        for s, n in parts
    ]
    m.EventParticipation.objects.bulk_create(rows, batch_size=1000)
    links = [(e.pk, e.municipality_id) for e in events if e.municipality_id]
    links += [(r.event_id, r.school.municipality_id) for r in rows]
    _through(m.Event._meta.get_field("municipalities"), links)


def _consultation_points(ctx: DemoContext, rng: random.Random) -> None:
    name, topic, audience = vocab.CONSULTATION_POINT
    chosen = rng.sample(ctx.municipalities, k=max(1, len(ctx.municipalities) // 3))
    _save(
        [
            m.ConsultationPoint(
                region=ctx.region,
                municipality=mu,
                name=name,
                topic=topic,
                audience=audience,
                address="Управление образования, каб. 12",
                schedule="вторник, четверг 15:00–18:00",
                contact=f"8 (8{rng.randint(10, 99)}) {rng.randint(200, 799)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            )
            for mu in sorted(chosen, key=lambda x: x.code)
        ]
    )


@demo_step("Структура поддержки и мероприятия")
def build_support(ctx: DemoContext) -> None:
    rng = ctx.rng_for("support")
    plans = _plans(ctx)
    registry = sorted((p.school for p in plans if p.case == "low"), key=lambda s: s.code)
    _people(ctx, rng, registry)
    base = _partners(ctx, rng, plans)
    _networks(ctx, registry, base)
    _consultation_points(ctx, rng)
    _events(ctx, rng, registry)
