"""Fixtures of the analysis tests: the personas territory with results and a run per region."""

import pytest

from opora.analysis.models import AnalysisRun
from tests.analysis.graph import analysis_graph
from tests.conftest import Territory


@pytest.fixture
def runs(territory: Territory) -> list[AnalysisRun]:
    """`default` runs of 2024 in both regions; the first region's run is official."""
    return analysis_graph(territory)
