"""Routes of API version 1 (URL names in the `v1` namespace, e.g. `v1:school-list`).

Every viewset registered here is scoped (see `opora.api.scoping`).
"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from opora.api.analysis import (
    AnalysisRunViewSet,
    ObjectivityViewSet,
    RegistryViewSet,
    RiskProfileViewSet,
)
from opora.api.auth import ObtainTokenView
from opora.api.programs import (
    ActivityViewSet,
    BudgetLineViewSet,
    ProgramReportViewSet,
    ProgramViewSet,
    ReportingPeriodViewSet,
    TargetViewSet,
    TrackViewSet,
)
from opora.api.results import (
    MunicipalityFiguresViewSet,
    RegionFiguresViewSet,
    SchoolFiguresViewSet,
    StudentResultViewSet,
)
from opora.api.scoping import ScopedGenericViewSet
from opora.api.support import SUPPORT_VIEWSETS
from opora.api.territory import MunicipalityViewSet, RegionViewSet, SchoolViewSet

app_name = "v1"

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("schools", SchoolViewSet, basename="school")
router.register("programs/programs", ProgramViewSet, basename="program")
router.register("programs/tracks", TrackViewSet, basename="track")
router.register("programs/activities", ActivityViewSet, basename="activity")
router.register("programs/targets", TargetViewSet, basename="programtarget")
router.register("programs/periods", ReportingPeriodViewSet, basename="reportingperiod")
router.register("programs/reports", ProgramReportViewSet, basename="programreport")
router.register("programs/budget", BudgetLineViewSet, basename="budgetline")
for _prefix, _support_viewset, _basename in SUPPORT_VIEWSETS:
    router.register(_prefix, _support_viewset, basename=_basename)
router.register("results/schools", SchoolFiguresViewSet, basename="results-school")
router.register(
    "results/municipalities", MunicipalityFiguresViewSet, basename="results-municipality"
)
router.register("results/regions", RegionFiguresViewSet, basename="results-region")
router.register("results/students", StudentResultViewSet, basename="results-student")
router.register("analysis/runs", AnalysisRunViewSet, basename="analysis-run")
router.register("analysis/registry", RegistryViewSet, basename="analysis-registry")
router.register("analysis/risk-profiles", RiskProfileViewSet, basename="analysis-risk")
router.register("analysis/objectivity", ObjectivityViewSet, basename="analysis-objectivity")

for _prefix, _viewset, _basename in router.registry:
    if not issubclass(_viewset, ScopedGenericViewSet):
        raise TypeError(f"API viewset {_viewset.__name__} is not scoped (ScopedGenericViewSet)")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
