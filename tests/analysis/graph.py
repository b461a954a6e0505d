"""A small analysis graph over the test territory: results of three years as school aggregates,
the presets installed and one `default` run per region (the first region's run official)."""

from opora.analysis.approval import methodology_approve
from opora.analysis.models import AnalysisRun
from opora.analysis.services import (
    methodology_presets_install,
    methodology_resolve,
    run_analysis_for,
)
from opora.assessment.models import ImportBatch, Procedure, SchoolResultAggregate, Subject
from opora.core.models import AuditEntry
from tests.conftest import Territory

DEMO = AuditEntry.Source.DEMO
YEARS = (2022, 2023, 2024)
# (share of «2», mean primary score) per school code: a2 and b1 are weak, b1 the weakest.
PROFILE = {
    "a1": (0.05, 14.0),
    "a2": (0.35, 8.0),
    "b1": (0.45, 6.0),
    "b2": (0.1, 12.0),
    "c1": (0.4, 7.0),
}


def add_aggregates(territory: Territory, n: int = 25) -> ImportBatch:
    """ВПР math and Russian, grade 6, for every school of the territory and year."""
    Procedure.objects.get_or_create(
        code="vpr", defaults={"name": "ВПР", "short_name": "ВПР", "result_kind": "mark"}
    )
    for code, name in (("math", "Математика"), ("rus", "Русский язык")):
        Subject.objects.get_or_create(code=code, defaults={"name": name})
    batch = ImportBatch.objects.create(file_name="агрегаты.xlsx", sha256="0" * 64)
    t = territory
    rows = []
    for school in (t.a1, t.a2, t.b1, t.b2, t.c1):
        fail, mean = PROFILE[school.code]
        for year in YEARS:
            for subject in ("math", "rus"):
                count_2 = round(fail * n)
                rows.append(
                    SchoolResultAggregate(
                        school=school,
                        procedure_id="vpr",
                        subject_id=subject,
                        grade=6,
                        year=year,
                        participants=n,
                        count_2=count_2,
                        count_3=n - count_2,
                        count_4=0,
                        count_5=0,
                        mean_primary_score=mean,
                        batch=batch,
                    )
                )
    SchoolResultAggregate.objects.bulk_create(rows)
    return batch


def analysis_graph(territory: Territory) -> list[AnalysisRun]:
    """Aggregates, presets and a `default` run in each region (the first one official)."""
    add_aggregates(territory)
    runs = []
    for region in (territory.region, territory.other_region):
        methodology_presets_install(region=region, actor=None, source=DEMO)
        methodology = methodology_resolve(region=region, name="default", year=None)
        runs.append(run_analysis_for(methodology=methodology, year=2024, actor=None, source=DEMO))
    default = methodology_resolve(region=territory.region, name="default", year=None)
    methodology_approve(methodology=default, year=2024, actor=None, source=DEMO)
    for run in runs:
        run.refresh_from_db()
    return runs
