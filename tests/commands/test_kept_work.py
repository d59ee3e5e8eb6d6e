"""Pure work is done once per input: the second asker gets the first answer, other inputs
their own, and only the latest answers are kept; a benchmark whose figures did not change is
not scored again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from commands.benchmark.model import SCORED, SCORES
from commands.kept_work import KeptWork
from commands.reply import plain
from storage.models import Region

done: list[tuple] = []


@dataclass(frozen=True)
class Figures:
    regions: list[str]
    values: dict[str, float]


def total(figures: Figures, *, scale: float = 1.0) -> float:
    done.append((figures, scale))
    return sum(figures.values.values()) * scale


def test_equal_inputs_are_worked_out_once_and_others_each_time():
    kept = KeptWork(4)
    done.clear()
    figures = Figures(["Limburg", "NRW"], {"Limburg": 2.0, "NRW": 3.0})

    assert kept.run(total, figures) == 5.0
    assert kept.run(total, Figures(["Limburg", "NRW"], {"Limburg": 2.0, "NRW": 3.0})) == 5.0
    assert kept.run(total, figures, scale=2.0) == 10.0
    assert kept.run(total, Figures(["Limburg"], {"Limburg": 2.0})) == 2.0
    assert len(done) == kept.runs == 3


def test_the_least_recently_asked_answer_goes_first():
    kept = KeptWork(2)
    done.clear()
    one, two, three = (Figures([str(n)], {str(n): float(n)}) for n in (1, 2, 3))

    kept.run(total, one)
    kept.run(total, two)
    kept.run(total, one)  # kept; "two" is now the oldest
    kept.run(total, three)  # "two" goes
    kept.run(total, one)
    kept.run(total, two)
    assert [figures for figures, _ in done] == [one, two, three, two]

    kept.clear()
    kept.run(total, one)
    assert len(done) == 5


def test_a_renamed_region_is_a_new_benchmark_version_but_not_scored_again(core, partner, sessions):
    core.run_line(partner, "/benchmark Limburg")
    scored, built = SCORES.runs, SCORED.builds
    with sessions.begin() as session:
        session.execute(update(Region).where(Region.name == "Limburg").values(name="Limburgia"))

    renamed = core.run_line(partner, "/benchmark Limburgia")
    assert plain(renamed.heading).startswith("Limburgia")
    assert SCORED.builds == built + 1  # the version changed: read and put together again
    assert SCORES.runs == scored  # the figures did not: their scores are the kept ones
