"""The demo step of programs: a regional program, one per municipality and one per school of the
registry, with activities from the seeds' vocabulary, statuses relative to a fixed demo «today»,
targets, reporting periods and reports.

The registry is the set of schools the results plan marks as persistently low (`case ==
"low"`), computed from the same random source as the results step, so it is the same whether or
not results were generated; the demo school user's school gets a program too, so that its login
has something to do. Everything draws from `ctx.rng_for("programs")`.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType

from opora.assessment.models import StudentResult
from opora.core.audit import diff, snapshot_fields
from opora.core.models import AuditEntry
from opora.demo import programs_vocabulary as vocab
from opora.demo.context import DemoContext, demo_step
from opora.demo.results.plan import build_plans, plant_cases
from opora.programs.actuals import targets_refresh_actuals
from opora.programs.choices import (
    ActivityStatus,
    ProgramKind,
    ProgramLevel,
    ProgramStatus,
)
from opora.programs.deadlines import parse_deadline
from opora.programs.models import Activity, BudgetLine, Program, Track
from opora.programs.reporting import execution_summary, period_create, program_report_submit
from opora.programs.targets import target_create

DEMO = AuditEntry.Source.DEMO


def demo_today(years: tuple[int, ...]) -> dt.date:
    """The demo's «today»: 1 March of the school year after the last data year (2026-03-01 for
    data up to 2025), in the middle of the programs' first school year."""
    return dt.date(years[-1] + 1, 3, 1)


def registry_schools(ctx: DemoContext) -> list[Any]:
    """The planted low-result schools (the demo's registry), by code."""
    rng = ctx.rng_for("results")
    plans = build_plans(ctx, rng)
    plant_cases(plans, tuple(ctx.years), rng)
    return [p.school for p in plans if p.case == "low"]


def _status(
    rng: random.Random, start: dt.date | None, end: dt.date | None, today: dt.date
) -> tuple[str, dt.date | None]:
    """A realistic status on `today`: most past activities done, some overdue."""
    if end is None:
        return (ActivityStatus.IN_PROGRESS if rng.random() < 0.5 else ActivityStatus.PLANNED), None
    if end < today:
        draw = rng.random()
        if draw < 0.76:
            span = max(0, (min(end, today) - (start or end)).days)
            return ActivityStatus.DONE, (start or end) + dt.timedelta(days=rng.randint(0, span))
        if draw < 0.84:
            return ActivityStatus.NOT_DONE, None
        if draw < 0.95:
            return ActivityStatus.IN_PROGRESS, None
        return ActivityStatus.CANCELLED, None
    if start is not None and start <= today:
        draw = rng.random()
        if draw < 0.15:
            return ActivityStatus.DONE, today - dt.timedelta(days=rng.randint(1, 20))
        return (ActivityStatus.IN_PROGRESS if draw < 0.75 else ActivityStatus.PLANNED), None
    return ActivityStatus.PLANNED, None


def _roadmap(
    program: Program,
    tracks: list[vocab.Track],
    rng: random.Random,
    today: dt.date,
    users: list[Any],
) -> tuple[list[Track], list[Activity]]:
    """Tracks with a sample of their activities, numbered «1.1», «1.2», ..."""
    made_tracks, activities = [], []
    for t_index, (title, pool) in enumerate(tracks, start=1):
        track = Track(program=program, position=t_index, name=title)
        made_tracks.append(track)
        chosen = sorted(rng.sample(range(len(pool)), k=max(2, min(len(pool), rng.randint(3, 5)))))
        for a_index, item in enumerate(chosen, start=1):
            name, form, deadline_text, responsible, expected = pool[item]
            parsed = parse_deadline(
                deadline_text,
                school_year=program.period_start_year,
                last_year=program.period_end_year,
            )
            status, done_on = _status(rng, parsed.start, parsed.end, today)
            comment = "Проведено, материалы размещены на сайте" if status == "done" else ""
            activities.append(
                Activity(
                    track=track,
                    position=a_index,
                    number=f"{t_index}.{a_index}",
                    name=name,
                    form=form,
                    deadline_text=deadline_text,
                    deadline_kind=parsed.kind.value,
                    deadline_start=parsed.start,
                    deadline_end=parsed.end,
                    responsible_org=responsible,
                    expected_result=expected,
                    status=status,
                    done_on=done_on,
                    completion_comment=comment,
                    responsible_user=rng.choice(users) if users and rng.random() < 0.4 else None,
                )
            )
    return made_tracks, activities


def _create_programs(ctx: DemoContext, rng: random.Random) -> list[tuple[Program, list[Any]]]:
    start = ctx.years[-1]
    period = {"period_start_year": start, "period_end_year": start + 2}
    years = f"{start}–{start + 2}"
    users = ctx.users
    made: list[tuple[Program, list[Any]]] = []
    regional = Program(
        level=ProgramLevel.REGION,
        kind=ProgramKind.REGIONAL,
        region=ctx.region,
        name=f"Региональная программа поддержки школ с низкими образовательными результатами "
        f"на {years} годы",
        status=ProgramStatus.APPROVED,
        **period,
        **vocab.PASSPORT["regional"],
    )
    made.append((regional, [users.get("demo-region"), users.get("demo-resource")]))
    home = {m.municipality_id for m in users["demo-municipality"].memberships.all()}
    curated = {m.municipality_id for m in users["demo-curator"].memberships.all()}
    for municipality in ctx.municipalities:
        status = rng.choices(
            [ProgramStatus.APPROVED, ProgramStatus.SUBMITTED, ProgramStatus.RETURNED],
            weights=[8, 1, 1],
        )[0]
        program = Program(
            level=ProgramLevel.MUNICIPALITY,
            kind=ProgramKind.MUNICIPAL,
            region=ctx.region,
            municipality=municipality,
            name=f"Муниципальная программа повышения качества образования: {municipality.name}, "
            f"{years} годы",
            status=status,
            review_comment="Уточните сроки и ответственных по разделу 3."
            if status == ProgramStatus.RETURNED
            else "",
            **period,
            **vocab.PASSPORT["municipal"],
        )
        responsible = [users.get("demo-municipality")] if municipality.pk in home else []
        responsible += [users.get("demo-curator")] if municipality.pk in curated else []
        made.append((program, responsible))
    schools = registry_schools(ctx)
    own = [m.school for m in users["demo-school"].memberships.select_related("school")]
    for school in sorted({s.pk: s for s in schools + own}.values(), key=lambda s: s.code):
        kind = rng.choice([ProgramKind.ANTI_RISK, ProgramKind.TRANSITION])
        status = rng.choices(
            [
                ProgramStatus.APPROVED,
                ProgramStatus.SUBMITTED,
                ProgramStatus.RETURNED,
                ProgramStatus.DRAFT,
            ],
            weights=[6, 2, 1, 1],
        )[0]
        program = Program(
            level=ProgramLevel.SCHOOL,
            kind=kind,
            region=ctx.region,
            municipality=school.municipality,
            school=school,
            name=f"{ProgramKind(kind).label.capitalize()} {school.short_name} на {years} годы",
            status=status,
            review_comment="Добавьте мероприятия по работе с родителями."
            if status == ProgramStatus.RETURNED
            else "",
            **period,
            **vocab.PASSPORT["school"],
        )
        made.append((program, [users.get("demo-school")] if school in own else []))
    for program, _ in made:
        program.full_clean(exclude=["region", "municipality", "school"], validate_constraints=False)
    Program.objects.bulk_create([p for p, _ in made])
    return made


def _targets(ctx: DemoContext, programs: list[Program], rng: random.Random) -> None:
    """A library target (ВПР «2»; with results, its actuals of the last three data years come
    from the data) and a target typed by hand, with an actual for the first year."""
    start = ctx.years[-1]
    # With results, the last three data years are listed too, so their actuals show the dynamics.
    history = ctx.years[-3:] if StudentResult.objects.exists() else ()
    for program in programs:
        fail = Decimal("10") if program.level != ProgramLevel.SCHOOL else Decimal("15")
        values: dict[int, Decimal | None] = dict.fromkeys(history)
        values.update({start + 1: fail, start + 2: fail - Decimal("3")})
        target_create(
            actor=None,
            program=program,
            indicator_code="vpr_fail_share",
            baseline_year=start,
            values=values,
            source=DEMO,
        )
        baseline = Decimal(rng.randint(35, 55))
        hand = target_create(
            actor=None,
            program=program,
            name="Доля педагогов, прошедших повышение квалификации по выявленным дефицитам",
            unit="%",
            baseline_year=start,
            baseline_value=baseline,
            values={start + 1: Decimal("70"), start + 2: Decimal("90")},
            source=DEMO,
        )
        row = hand.values.get(year=start + 1)
        row.actual_value = baseline + Decimal(rng.randint(0, 35))
        row.actual_source = "manual"
        row.save(update_fields=["actual_value", "actual_source"])


@demo_step("Программы и дорожные карты")
def build_programs(ctx: DemoContext) -> None:
    """Programs of the region, every municipality and every registry school with roadmaps."""
    rng = ctx.rng_for("programs")
    today = demo_today(tuple(ctx.years))
    made = _create_programs(ctx, rng)
    all_tracks: list[Track] = []
    all_activities: list[Activity] = []
    for program, responsible in made:
        pool = {
            ProgramLevel.REGION: vocab.REGIONAL_TRACKS,
            ProgramLevel.MUNICIPALITY: vocab.MUNICIPAL_TRACKS,
            ProgramLevel.SCHOOL: vocab.SCHOOL_TRACKS,
        }[ProgramLevel(program.level)]
        users = [u for u in responsible if u is not None]
        tracks, activities = _roadmap(program, pool, rng, today, users)
        all_tracks += tracks
        all_activities += activities
    Track.objects.bulk_create(all_tracks, batch_size=1000)
    for activity in all_activities:
        activity.track_id = activity.track.pk
        activity.full_clean(exclude=["track", "responsible_user"], validate_constraints=False)
    Activity.objects.bulk_create(all_activities, batch_size=1000)
    programs = [p for p, _ in made]
    _budget(all_tracks, ctx.years[-1], rng)
    _targets(ctx, programs, rng)
    if StudentResult.objects.exists():
        targets_refresh_actuals(actor=None, programs=programs, source=DEMO)
    _reporting(ctx, programs, rng)
    ctx.extra["programs"] = programs
    ctx.extra["demo_today"] = today
    _record(programs, today)


def _budget(tracks: list[Track], year: int, rng: random.Random) -> None:
    """A budget line per track of the regional and municipal programs for the first year,
    planned 50–500 thousand roubles, half or more of it spent by the demo's today."""
    lines = []
    for track in tracks:
        if track.program.level == ProgramLevel.SCHOOL:
            continue
        planned = Decimal(rng.randint(50, 500) * 1000)
        spent = (planned * Decimal(rng.randint(45, 100)) / 100).quantize(Decimal("1"))
        lines.append(
            BudgetLine(
                program=track.program,
                track=track,
                item=f"Мероприятия направления «{track.name}»",
                year=year + 1,
                funding_source="бюджет программы «Развитие образования»",
                planned=planned,
                spent=spent,
            )
        )
    for line in lines:
        line.full_clean(exclude=["program", "track"], validate_constraints=False)
    BudgetLine.objects.bulk_create(lines)


def _reporting(ctx: DemoContext, programs: list[Program], rng: random.Random) -> None:
    """Three periods: the first half-year of school programs and the municipal year (past on the
    demo's today: most reported, some late, some missing) and the second half-year (to come)."""
    year = ctx.years[-1]
    periods = [
        (
            f"Отчёт о реализации школьных программ за I полугодие {year}/{year + 1} учебного года",
            ProgramLevel.SCHOOL,
            dt.date(year, 12, 15),
            dt.date(year, 12, 29),
        ),
        (
            f"Отчёт о реализации муниципальных программ за {year} год",
            ProgramLevel.MUNICIPALITY,
            dt.date(year + 1, 1, 9),
            dt.date(year + 1, 1, 26),
        ),
        (
            f"Отчёт о реализации школьных программ за II полугодие {year}/{year + 1} учебного года",
            ProgramLevel.SCHOOL,
            dt.date(year + 1, 5, 25),
            dt.date(year + 1, 6, 10),
        ),
    ]
    today = demo_today(tuple(ctx.years))
    for name, level, opens_on, due_on in periods:
        period = period_create(
            actor=None,
            region=ctx.region,
            name=name,
            level=level,
            opens_on=opens_on,
            due_on=due_on,
            source=DEMO,
        )
        if opens_on > today:
            continue
        due = [p for p in programs if p.level == level]
        rng.shuffle(due)
        share = max(1, round(0.15 * len(due))) if len(due) >= 3 else 0
        window = (due_on - opens_on).days
        for index, program in enumerate(due):
            if index < share:
                continue  # has not reported
            if index < 2 * share:
                submitted = due_on + dt.timedelta(days=rng.randint(1, 25))
            else:
                submitted = opens_on + dt.timedelta(days=rng.randint(0, window))
            program_report_submit(
                actor=None, program=program, period=period, today=submitted, source=DEMO
            )


def _record(programs: list[Program], today: dt.date) -> None:
    """One «создание» entry per program with its execution figures (in bulk)."""
    ctype = ContentType.objects.get_for_model(Program)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action=AuditEntry.Action.CREATE,
                source=DEMO,
                content_type=ctype,
                object_id=str(program.pk),
                object_repr=str(program)[:300],
                changes=diff({}, {**snapshot_fields(program), **execution_summary(program, today)}),
                comment="Создано демо-генератором",
            )
            for program in programs
        ],
        batch_size=500,
    )
