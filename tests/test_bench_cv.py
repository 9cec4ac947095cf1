"""Issue 17: the logic of scripts/bench_cv.py (rank agreement with the reference, the default's rule) on made-up tables,
and scripts/bench_section.py, which every `make bench` script after bench.py writes its section of BENCHMARKS.md with."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))  # as when the script runs: it imports bench_section from its folder
from bench_section import write_section

spec = importlib.util.spec_from_file_location("bench_cv_script", ROOT / "scripts" / "bench_cv.py")
bench_cv = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_cv)


def test_rank_agreement_same_order_reversed_order_and_regret():
    reference = [0.1, 0.2, 0.3, 0.4, 0.5]
    assert bench_cv.rank_agreement([1, 2, 3, 4, 5], reference) == pytest.approx((1.0, 1.0, 0.0, True))
    rho, tau, regret, top3 = bench_cv.rank_agreement([5, 4, 3, 2, 1], reference)
    # Reversed: the protocol picks the reference's worst configuration (0.5 - 0.1) and ranks everything backwards.
    assert (rho, tau, top3) == (pytest.approx(-1.0), pytest.approx(-1.0), False)
    assert regret == pytest.approx(0.4)


def test_rank_agreement_constant_losses_rank_nothing_and_pick_the_first():
    # Every configuration ties (a tiny validation split): no correlation, the first configuration is the pick.
    rho, tau, regret, top3 = bench_cv.rank_agreement([0.2, 0.2, 0.2, 0.2], [0.3, 0.1, 0.2, 0.4])
    assert (rho, tau) == (0.0, 0.0)
    assert regret == pytest.approx(0.2)
    assert top3  # 0.3 has two strictly lower reference losses


def row(n, holdout, three, five):
    return {"rows": n, "spearman": {"holdout": holdout, "3-fold": three, "5-fold": five}}


def test_recommend_threshold_is_where_holdout_catches_up_for_good():
    rows = [row(150, 0.5, 0.7, 0.8), row(150, 0.6, 0.8, 0.8), row(500, 0.9, 0.9, 0.93), row(2000, 0.8, 0.95, 0.95), row(5000, 0.97, 0.98, 0.98)]
    rule = bench_cv.recommend(rows)
    # 500 rows is within 0.05 but 2000 is not: the threshold is the start of the last run of small gaps.
    assert rule["gap"][150] == pytest.approx(0.25)
    assert rule["threshold"] == 5000
    # Below 5000 rows 3-fold averages 0.8375 and 5-fold 0.87: more than 0.025 apart, so K = 5.
    assert rule["k"] == 5


def test_recommend_k3_when_as_good_and_none_when_holdout_never_catches_up():
    rule = bench_cv.recommend([row(150, 0.5, 0.79, 0.8), row(1000, 0.9, 0.95, 0.95), row(4000, 0.96, 0.97, 0.97)])
    assert (rule["threshold"], rule["k"]) == (1000, 3)
    assert bench_cv.recommend([row(150, 0.5, 0.8, 0.8), row(4000, 0.8, 0.9, 0.9)])["threshold"] is None


def test_write_section_replaces_its_own_section_and_keeps_the_others(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n| a | b |\n\n## Torch\n\nold torch\n\n## CV\n\nold cv\n\n## Workers\n\nworkers\n")
    write_section("## CV", "## CV\n\nnew cv\n", path)
    write_section("## Torch", "## Torch\n\nnew torch", path)
    write_section("## Fidelity", "## Fidelity\n\nadded", path)
    assert path.read_text() == (
        "# Benchmarks\n\n| a | b |\n\n## Torch\n\nnew torch\n\n## CV\n\nnew cv\n\n## Workers\n\nworkers\n\n## Fidelity\n\nadded\n"
    )
