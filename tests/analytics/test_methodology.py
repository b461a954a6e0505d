"""Methodology documents: the default preset, validation, immutability, overrides."""

import pytest

from opora.analytics.methodology import MethodologyError, load_preset, preset_names


def test_default_preset_carries_methodology_15_values():
    m = load_preset()
    assert (m.name, m.version) == ("default", "1.1.0")
    assert m.param("shnor.r1.t_fail") == 0.30 and m.param("shnor.r1.k_proc") == 2
    assert m.param("shnor.r1.mode") == "strict" and m.param("shnor.r2.q_low") == 0.10
    assert m.param("general.n_min") == 10 and m.param("general.year_weights") == (3, 2, 1)
    assert m.param("risk_profile.levels.high") == 0.66
    assert m.param("risk_profile.factors.R02.teachers_55plus.bad_above") == 0.35
    assert m.param("isb.ssu_percentile") == 20 and m.param("isb.min_coverage") == 0.70
    assert "default" in preset_names()


def test_methodology_is_immutable():
    m = load_preset()
    with pytest.raises(TypeError):
        m.params["shnor"]["n_min"] = 5  # type: ignore[index]
    with pytest.raises(AttributeError):
        m.name = "x"  # type: ignore[misc]


def test_overrides_are_validated_and_keep_the_original():
    m = load_preset()
    edited = m.with_overrides({"shnor.r1.t_fail": 0.25}, version="1.2.0")
    assert edited.param("shnor.r1.t_fail") == 0.25 and edited.version == "1.2.0"
    assert m.param("shnor.r1.t_fail") == 0.30
    with pytest.raises(MethodologyError, match=r"shnor\.r1\.t_fail"):
        m.with_overrides({"shnor.r1.t_fail": 1.5})
    with pytest.raises(MethodologyError, match="mode"):
        m.with_overrides({"shnor.r1.mode": "sometimes"})
    with pytest.raises(KeyError):
        m.with_overrides({"shnor.r1.nonexistent": 1})


def test_unknown_preset_is_a_clear_error():
    with pytest.raises(MethodologyError, match="Нет методики"):
        load_preset("nope")


def test_document_round_trips():
    m = load_preset()
    assert type(m).from_document(m.to_document()) == m


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        ("objectivity.m4.alpha", 0, r"objectivity\.m4\.alpha"),
        ("objectivity.m5.up_pct", 1.5, r"objectivity\.m5\.up_pct"),
        ("context_model.weights", "median", r"context_model\.weights"),
        ("resilience.expected_share", [0.04], r"resilience\.expected_share"),
        ("forecast.features", ["zshr", "shoe_size"], r"forecast\.features"),
        ("matching.method", "hungarian", r"matching\.method"),
        ("similar.confidence", 1.0, r"similar\.confidence"),
        ("medals.model_210_mode", "max", r"medals\.model_210_mode"),
    ],
)
def test_parameters_of_the_later_rules_are_validated(path, value, match):
    with pytest.raises(MethodologyError, match=match):
        load_preset().with_overrides({path: value})
