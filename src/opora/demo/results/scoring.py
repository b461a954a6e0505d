"""From θ to reported scores, marks and journal marks, with the planted distortions.

* inflated ВПР: θ + boost (top-heavy marks), and every student whose honest score is below the
  «3» boundary + 2 gets the boundary or one above it: no «2», a pile-up just above the «3» cut
  over an empty band just below it (METHODOLOGY §5.2 M4);
  the journal marks follow the honest score, so ВПР marks exceed them (M5);
* ordinary schools: in a group of 10+, at most `CAP_FAIL` below «3» (or the ЕГЭ minimum) —
  the whole group's scores move up by the points its `CAP_FAIL` quantile lacks to the cut, so the
  shape of the distribution is kept (lifting only the scores just below the cut would leave an
  empty band under it and a pile over it: the bunching signature of M4, in honest schools);
* planted low schools, weak subjects of ВПР and ОГЭ: at least `LOW_MIN_FAIL` get «2» — the
  lowest scores at or above the cut are lowered just below it.
"""

import polars as pl

from opora.demo.results.draw import normal, uniform
from opora.demo.results.frames import CAP_FAIL, LOW_MIN_FAIL, SUBJECTS, Salts

c = pl.col
JOURNAL_UP = (0.08, 0.15)  # per-school share of journal marks one above the honest mark
JOURNAL_DOWN = 0.05  # share of journal marks one below the honest mark
JOURNAL_TERM = 0.05  # share of term marks one below (and one above) the year mark
JOURNAL_PASS = 0.2  # share of honest «2» that the journal still marks «3»
ANNUAL_SD = 6.0  # ЕГЭ graduates: annual mark from the honest % of the maximum + this noise…
ANNUAL_CUTS = (55.0, 75.0)  # …«4» from the first, «5» from the second


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
        pass_rank=pl.when(~c("fail")).then(tiebreak).rank("ordinal").over("gid"),
    )
    allowed = (CAP_FAIL * c("n_group")).floor().cast(pl.Int64)
    shortfall = (LOW_MIN_FAIL * c("n_group")).ceil() - c("n_fail")
    # the score that must reach the cut: the (allowed + 1)-th lowest of the group
    pivot = pl.when(c("score").rank("ordinal").over("gid") == allowed + 1).then(c("score"))
    frame = frame.with_columns(
        shift=pl.when(c("capped") & (c("n_group") >= 10) & (c("n_fail") > allowed))
        .then((cut - pivot.max().over("gid")).clip(0))
        .otherwise(0)
    )
    lower = c("min_fail") & ~c("fail") & (c("pass_rank") <= shortfall)
    u = uniform(c("rowkey"), salts.lower)
    frame = frame.with_columns(
        score=pl.when(c("shift") > 0)
        .then((c("score") + c("shift")).clip(0, c("max_score")))
        .when(lower)
        .then((c("c3") - 1 - (u * 3).floor().cast(pl.Int64)).clip(0))
        .otherwise(c("score"))
    ).with_columns(fail=c("score") < cut)
    frame = frame.drop("shift").with_columns(
        mark=pl.when(marked).then(_mark("score")),
        honest_mark=pl.when(marked).then(
            pl.when(c("inflated")).then(_mark("honest")).otherwise(_mark("score"))
        ),
    )
    return _journal(frame, salts)


def _journal(frame: pl.DataFrame, salts: Salts) -> pl.DataFrame:
    """Journal marks: the honest mark, mostly the same; each school is somewhat lenient.

    A school draws its leniency once (uniform on `JOURNAL_UP`): in each of its groups that share
    of the students (at random among those below «5») get a journal mark one above the honest
    one, `JOURNAL_DOWN` one below; `JOURNAL_PASS` of the «2» become «3» (not in the weak subjects
    of planted low schools); the term mark is one below / above the year mark for
    `JOURNAL_TERM` each. Shares are counts per group, not coin flips, so ordinary groups do not
    scatter into the internal-marks and M5 signals of the default methodology. The ЕГЭ
    graduates' annual mark follows the honest score (% of the maximum) plus noise, cut at
    `ANNUAL_CUTS`, so a «5» usually means a high ЕГЭ score.
    """
    u1, u2, u3 = (uniform(c("rowkey"), s) for s in (salts.j1, salts.j2, salts.j3))
    lenient = uniform(c("school_index"), salts.lenient)
    up = JOURNAL_UP[0] + (JOURNAL_UP[1] - JOURNAL_UP[0]) * lenient

    def first(share: pl.Expr | float, order: pl.Expr, among: pl.Expr) -> pl.Expr:
        """The `share` of the group (rounded count) with the lowest `order` among `among`."""
        rank = pl.when(among).then(order).rank("ordinal").over("gid")
        return among & (rank <= (share * c("n_group")).round(0))

    frame = frame.with_columns(
        delta=pl.when(first(JOURNAL_DOWN, u1, pl.lit(True)))
        .then(-1)
        .when(first(up, -u1, c("honest_mark") < 5))
        .then(1)
        .otherwise(0)
    )
    year_mark = (c("honest_mark") + c("delta")).clip(2, 5)
    passed = (year_mark == 2) & ~c("min_fail") & (u2 < JOURNAL_PASS)
    frame = frame.with_columns(year_mark=pl.when(passed).then(3).otherwise(year_mark))
    term = (
        pl.when(first(JOURNAL_TERM, u3, pl.lit(True)))
        .then(-1)
        .when(first(JOURNAL_TERM, -u3, c("year_mark") < 5))
        .then(1)
        .otherwise(0)
    )
    year_mark, term_mark = c("year_mark"), (c("year_mark") + term).clip(2, 5)
    percent = 100.0 * c("honest") / c("max_score")
    annual = percent + ANNUAL_SD * normal(c("rowkey"), salts.annual)
    low, high = ANNUAL_CUTS
    ege_mark = pl.when(annual < low).then(3).when(annual < high).then(4).otherwise(5)
    school = c("procedure").is_in(["vpr", "oge"])
    return (
        frame.with_columns(
            journal_mark_year=pl.when(school)
            .then(year_mark)
            .when(c("procedure").is_in(["ege", "ege_base"]))
            .then(ege_mark),
        )
        .with_columns(
            journal_mark_term=pl.when(school).then(term_mark),
        )
        .drop("delta", "year_mark")
    )
