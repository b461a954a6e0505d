"""From θ to reported scores, marks and journal marks, with the planted distortions.

* inflated ВПР: θ + boost (top-heavy marks), and every student whose honest score is below the
  «3» boundary + 2 gets the boundary or one above it: no «2», a pile-up just above the «3» cut
  over an empty band just below it (METHODOLOGY §5.2 M4);
  the journal marks follow the honest score, so ВПР marks exceed them (M5);
* ordinary schools: in a group of 10+, at most `CAP_FAIL` below «3» (or the ЕГЭ minimum) —
  the highest scores below the cut are lifted into the «3» band, spread evenly;
* planted low schools, weak subjects of ВПР and ОГЭ: at least `LOW_MIN_FAIL` get «2» — the
  lowest scores at or above the cut are lowered just below it.
"""

import polars as pl

from opora.demo.results.draw import normal, uniform
from opora.demo.results.frames import CAP_FAIL, LOW_MIN_FAIL, SUBJECTS, Salts

c = pl.col


def _clip_round(value: pl.Expr, high: pl.Expr) -> pl.Expr:
    return value.round(0).clip(0, high).cast(pl.Int64)


def _mark(score: str) -> pl.Expr:
    return (
        2
        + (c(score) >= c("c3")).cast(pl.Int64)
        + (c(score) >= c("c4")).cast(pl.Int64)
        + (c(score) >= c("c5")).cast(pl.Int64)
    )


def scores(frame: pl.DataFrame, salts: Salts, boost: float) -> pl.DataFrame:
    """Add `score` (reported), `mark`, `honest_mark`, the journal marks and `fail`."""
    subject_no = c("subject").replace_strict({s: i for i, s in enumerate(SUBJECTS)})
    proc_no = c("procedure").replace_strict({"vpr": 0, "oge": 1, "ege": 2, "ege_base": 3})
    key = (c("person") * 8 + (c("year") - 2020)) * 128 + proc_no * 32 + subject_no
    theta = c("mu") + 0.8 * c("person_effect") + 0.6 * normal(c("rowkey"), salts.theta)

    def raw(th: pl.Expr) -> pl.Expr:
        curve = 1.0 / (1.0 + (-c("slope") * (th - c("centre"))).exp())
        noise = 0.03 * c("max_score") * normal(c("rowkey"), salts.meas)
        return _clip_round(c("max_score") * curve + noise, c("max_score"))

    marked = c("c3").is_not_null()
    cut = pl.when(marked).then(c("c3")).otherwise(c("min_score"))
    gid = (((c("school_index") * 8 + c("year") - 2020) * 4 + proc_no) * 32 + subject_no) * 16
    frame = frame.with_columns(rowkey=key.cast(pl.UInt64), gid=gid + c("grade")).with_columns(
        theta=theta
    )
    frame = frame.with_columns(
        honest=raw(c("theta")),
        score=raw(c("theta") + pl.when(c("inflated")).then(boost).otherwise(0.0)),
    )
    pile = c("inflated") & marked & (c("honest") < c("c3") + 2)
    frame = frame.with_columns(
        score=pl.when(pile)
        .then(c("c3") + (uniform(c("rowkey"), salts.pile) < 0.5).cast(pl.Int64))
        .otherwise(c("score"))
    )
    # Caps and floors of the share below the cut, per group.
    tiebreak = c("score").cast(pl.Float64) + 0.5 * uniform(c("rowkey"), salts.lift)
    frame = frame.with_columns(
        n_group=pl.len().over("gid"),
        fail=c("score") < cut,
    ).with_columns(
        n_fail=c("fail").sum().over("gid"),
        fail_rank=pl.when(c("fail")).then(tiebreak).rank("ordinal", descending=True).over("gid"),
        pass_rank=pl.when(~c("fail")).then(tiebreak).rank("ordinal").over("gid"),
    )
    excess = c("n_fail") - (CAP_FAIL * c("n_group")).floor()
    shortfall = (LOW_MIN_FAIL * c("n_group")).ceil() - c("n_fail")
    lift = c("capped") & (c("n_group") >= 10) & c("fail") & (c("fail_rank") <= excess)
    lower = c("min_fail") & ~c("fail") & (c("pass_rank") <= shortfall)
    band = pl.when(marked).then(c("c4") - c("c3")).otherwise(12)
    u = uniform(c("rowkey"), salts.lower)
    frame = frame.with_columns(
        score=pl.when(lift)
        .then(cut + (uniform(c("rowkey"), salts.lift ^ 7) * band).floor().cast(pl.Int64))
        .when(lower)
        .then((c("c3") - 1 - (u * 3).floor().cast(pl.Int64)).clip(0))
        .otherwise(c("score"))
    ).with_columns(fail=c("score") < cut)
    frame = frame.with_columns(
        mark=pl.when(marked).then(_mark("score")),
        honest_mark=pl.when(marked).then(
            pl.when(c("inflated")).then(_mark("honest")).otherwise(_mark("score"))
        ),
    )
    return _journal(frame, salts)


def _journal(frame: pl.DataFrame, salts: Salts) -> pl.DataFrame:
    """Journal marks: the honest mark, mostly the same, a third of the time one higher."""
    u1, u2, u3 = (uniform(c("rowkey"), s) for s in (salts.j1, salts.j2, salts.j3))
    delta = pl.when(u1 < 0.06).then(-1).when(u1 < 0.70).then(0).otherwise(1)
    year_mark = (c("honest_mark") + delta).clip(2, 5)
    year_mark = pl.when((year_mark == 2) & (u2 < 0.8)).then(3).otherwise(year_mark)
    term = pl.when(u3 < 0.1).then(-1).when(u3 > 0.9).then(1).otherwise(0)
    annual = c("theta") + 0.4 * normal(c("rowkey"), salts.annual)
    ege_mark = pl.when(annual < -1.0).then(3).when(annual < 0.4).then(4).otherwise(5)
    school = c("procedure").is_in(["vpr", "oge"])
    return frame.with_columns(
        journal_mark_year=pl.when(school)
        .then(year_mark)
        .when(c("procedure").is_in(["ege", "ege_base"]))
        .then(ege_mark),
    ).with_columns(
        journal_mark_term=pl.when(school).then((c("journal_mark_year") + term).clip(2, 5)),
    )
