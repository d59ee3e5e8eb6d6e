"""Score once: a process keeps each group's scored benchmark and redoes it only when editions,
figures, indicators or regions change; replies are those of a freshly scored benchmark. Below
that, pure work is done once per input: the second asker gets the first answer, other inputs
their own, and only the latest answers are kept; a benchmark whose figures did not change is
not scored again."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import event, update

from commands.benchmark.cache import KeptWork, StampedCache
from commands.benchmark.model import SCORED, SCORES
from commands.reply import Reply, plain
from storage.models import Region
from tests.commands.benchmark.method import all_text, figures_2014, import_real

LINES = ("/benchmark", "/benchmark Limburg", "/benchmark Limburg vs NRW")


def answers(core, partner) -> list[Reply]:
    return [core.run_line(partner, line) for line in LINES]


def cold_answers(core, partner) -> list[Reply]:
    """The answers of a process that has scored nothing yet."""
    SCORED.clear()
    SCORES.clear()
    return answers(core, partner)


def test_every_reply_after_the_first_reuses_the_scores(core, partner):
    first = answers(core, partner)
    builds = SCORED.builds
    assert answers(core, partner) == first
    assert SCORED.builds == builds
    assert cold_answers(core, partner) == first


def test_an_import_a_replacement_and_a_renamed_region_are_scored_once_each(core, partner, sessions):
    before = answers(core, partner)

    import_real(sessions, figures_2014())
    builds = SCORED.builds
    imported = answers(core, partner)
    assert SCORED.builds == builds + 1
    assert imported != before
    assert "2014" in all_text(imported[0])
    assert imported == cold_answers(core, partner)

    # Figures replaced in place: the edition, indicators and regions are the same rows.
    import_real(sessions, figures_2014(changes={("limburg", "BUSRD"): 0.01}), replace=True)
    builds = SCORED.builds
    replaced = answers(core, partner)
    assert SCORED.builds == builds + 1
    assert replaced[1] != imported[1]
    assert replaced == cold_answers(core, partner)

    with sessions.begin() as session:
        session.execute(update(Region).where(Region.name == "Limburg").values(name="Limburgia"))
    renamed = core.run_line(partner, "/benchmark Limburgia")
    assert plain(renamed.heading).startswith("Limburgia")


def test_requests_of_a_cold_process_wait_for_one_build():
    cache: StampedCache[str] = StampedCache()
    release = threading.Event()
    results: list[str] = []

    def build() -> str:
        release.wait(timeout=10)
        return "scored"

    def ask() -> None:
        results.append(cache.get("group", "stamp", build))

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    release.set()
    for asker in askers:
        asker.join(timeout=10)
    assert results == ["scored"] * 4
    assert cache.builds == 1
    assert cache.get("group", "other stamp", lambda: "rescored") == "rescored"
    assert cache.builds == 2


def test_the_oldest_group_is_let_go_beyond_the_capacity():
    cache: StampedCache[int] = StampedCache(capacity=2)
    for group in (1, 2, 3):
        cache.get(group, "stamp", lambda group=group: group)
    cache.get(1, "stamp", lambda: 10)
    assert cache.get(3, "stamp", lambda: 30) == 3
    assert cache.builds == 4


def test_naming_regions_costs_no_session_of_its_own(core, partner, sessions):
    """The scores' stamp and the regions asked for are read in one session."""
    checkouts: list[object] = []
    engine = sessions.kw["bind"]

    def count(*_):
        checkouts.append(None)

    answers(core, partner)  # scored and warm
    event.listen(engine, "checkout", count)
    try:
        per_line = []
        for line in LINES:
            checkouts.clear()
            core.run_line(partner, line)
            per_line.append(len(checkouts))
    finally:
        event.remove(engine, "checkout", count)
    league, profile, comparison = per_line
    assert league >= 1
    assert profile == league
    assert comparison == league


def test_a_repeated_answer_is_given_again_from_the_one_statement_of_the_context(
    core, partner, sessions
):
    """The group's benchmark version comes with the group and member: an answer drawn from
    the same scores is the same reply, read with nothing more; a change gives a new one."""
    statements: list[str] = []
    engine = sessions.kw["bind"]

    def count(_connection, _cursor, statement, *_):
        statements.append(statement)

    first = core.run_line(partner, "/benchmark Limburg")
    event.listen(engine, "before_cursor_execute", count)
    try:
        again = core.run_line(partner, "/benchmark Limburg")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert again is first
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    with sessions.begin() as session:
        session.execute(update(Region).where(Region.name == "Limburg").values(cluster="Chemelot"))
    changed = core.run_line(partner, "/benchmark Limburg")
    assert changed is not first
    assert "Chemelot" in all_text(changed)


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
