"""Generated members, pilot updates, benchmark editions and practices: sample data that says so.

Updates are spread over the pilots, their regions and the years since 2010; editions are
monthly, their figures a random walk from the seed's newest edition; practices are variants
of the seeded ones with other words mixed in.
"""

from __future__ import annotations

import math
from datetime import timedelta

from tests.benchmarks.bench_practice_search import FILLER
from tests.benchmarks.rows import Catalogue, Rows
from tests.benchmarks.sizes import HISTORY_STARTS, HistorySizes, random_stream

UPDATE_TEXTS = (
    "teacher training module {n} run with the vocational schools",
    "steering group met; pilot plant booking rules agreed (step {n})",
    "survey of {n} SMEs on skills needs closed",
    "open innovation voucher call: {n} applications received",
    "permit workshop with the regional authority, follow-up {n}",
    "site visit to the shared facility, {n} companies attended",
    "apprenticeship curriculum draft {n} sent to partners",
    "data for the benchmark collected, {n} indicators checked",
)
UPDATE_STATUSES = (None, None, "on_track", "on_track", "delayed", "done")


def member_rows(catalogue: Catalogue, sizes: HistorySizes) -> list[Rows]:
    """People spread evenly over the regions, one in a hundred a coordinator; remembered in
    the catalogue so that reminders and updates can name them."""
    rows = Rows(
        "member",
        (
            "id",
            "group_id",
            "platform",
            "platform_user_id",
            "display_name",
            "region_id",
            "role",
            "created_at",
            "updated_at",
        ),
    )
    first = catalogue.next_id("member")
    by_region: dict[int, list[str]] = {}
    for number in range(sizes.members):
        region_id = catalogue.region_ids[number % len(catalogue.region_ids)]
        user = f"USAMPLE{number:05d}"
        role = "coordinator" if number % 100 == 99 else "partner"
        name = f"Sample person {number}"
        joined = HISTORY_STARTS + timedelta(days=number % 5000)
        rows.add(
            first + number, catalogue.group_id, "slack", user, name, region_id, role, joined, joined
        )
        by_region.setdefault(region_id, []).append(user)
    catalogue.members_by_region = by_region
    return [rows]


def update_rows(catalogue: Catalogue, sizes: HistorySizes) -> list[Rows]:
    rng = random_stream("updates")
    rows = Rows(
        "pilot_update",
        (
            "id",
            "group_id",
            "pilot_id",
            "region_id",
            "platform",
            "author_id",
            "author_name",
            "text",
            "status",
            "source",
            "channel_id",
            "message_id",
            "permalink",
            "posted_at",
            "created_at",
            "edited_at",
            "removed_at",
        ),
    )
    span = (catalogue.anchor - HISTORY_STARTS).total_seconds() - 3600
    first = catalogue.next_id("pilot_update")
    for number in range(sizes.pilot_updates):
        pilot_id = rng.choice(catalogue.pilot_ids)
        regions = catalogue.pilot_regions.get(pilot_id) or catalogue.region_ids
        region_id = rng.choice(regions) if rng.random() < 0.97 else None
        people = catalogue.members_by_region.get(region_id or regions[0]) or ["USAMPLE"]
        author = rng.choice(people)
        posted = HISTORY_STARTS + timedelta(seconds=rng.uniform(0, span))
        source = rng.choices(("message", "shortcut", "command"), weights=(80, 5, 15))[0]
        channel, message, link = f"CSAMPLE{rng.randrange(40):02d}", None, None
        if source != "command":
            channel = f"CPILOT{pilot_id}"
            message = f"{int(posted.timestamp())}.{number % 1_000_000:06d}"
            link = f"https://chemclust.slack.com/archives/{channel}/p{message.replace('.', '')}"
        status = rng.choice(UPDATE_STATUSES)
        words = rng.choice(UPDATE_TEXTS).format(n=rng.randint(1, 40))
        text = f"{words} (sample)" + (f" [{status.replace('_', ' ')}]" if status else "")
        rows.add(
            first + number,
            catalogue.group_id,
            pilot_id,
            region_id,
            "slack",
            author,
            author.replace("USAMPLE", "Sample person "),
            text,
            status,
            source,
            channel,
            message,
            link,
            posted,
            posted + timedelta(seconds=2),
            posted + timedelta(hours=1) if rng.random() < 0.03 else None,
            posted + timedelta(days=1) if rng.random() < 0.01 else None,
        )
    return [rows]


def benchmark_rows(catalogue: Catalogue, sizes: HistorySizes) -> list[Rows]:
    """Monthly editions up to this month, each reporting (nearly) every region and indicator."""
    rng = random_stream("benchmark")
    editions = Rows(
        "benchmark_edition",
        ("id", "group_id", "label", "year", "source", "is_sample", "created_at"),
    )
    values = Rows("benchmark_value", ("id", "edition_id", "region_id", "indicator_id", "value"))
    current = dict(catalogue.latest_values)
    edition_id, value_id = (
        catalogue.next_id("benchmark_edition"),
        catalogue.next_id("benchmark_value"),
    )
    month = catalogue.anchor.replace(day=1)
    months = []
    for _ in range(sizes.editions):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    for month in reversed(months):
        source = "Generated for the benchmark suite: sample figures, not any report's data."
        editions.add(
            edition_id,
            catalogue.group_id,
            f"Sample {month:%Y-%m}",
            month.year,
            source,
            True,
            month,
        )
        for (region_id, indicator_id), value in current.items():
            current[region_id, indicator_id] = value * math.exp(rng.gauss(0, 0.03))
            if rng.random() < 0.01:
                continue  # a region that did not report this indicator this time
            values.add(value_id, edition_id, region_id, indicator_id, round(value, 3))
            value_id += 1
        edition_id += 1
    return [editions, values]


PRACTICE_COPIED = (
    "category",
    "themes",
    "organisation",
    "resources_needed",
    "evidence_of_success",
    "difficulties_met",
    "potential_for_transfer",
    "contact",
    "link",
    "year",
)


def practice_rows(catalogue: Catalogue, sizes: HistorySizes) -> list[Rows]:
    """Variants of the seeded practices up to ``sizes.practices`` in all; some name a pilot."""
    rng = random_stream("practices")
    seeds = catalogue.seed_practices
    columns = ("id", "group_id", "title", "region_id", "summary", "description", "is_sample")
    practices = Rows("practice", (*columns, *PRACTICE_COPIED, "created_at", "updated_at"))
    pilots = Rows("practice_pilot", ("practice_id", "pilot_id"))
    first = catalogue.next_id("practice")
    span = (catalogue.anchor - HISTORY_STARTS).days
    for number in range(max(0, sizes.practices - len(seeds))):
        seed = seeds[number % len(seeds)]
        extra = " ".join(FILLER[(number * k) % len(FILLER)] for k in (3, 7, 11))
        created = HISTORY_STARTS + timedelta(days=rng.randrange(span))
        practices.add(
            first + number,
            catalogue.group_id,
            f"{seed['title']} ({extra.split()[0]}, sample variant {number})"[:200],
            catalogue.region_ids[(number * 7) % len(catalogue.region_ids)],
            f"{seed['summary']} Also {extra}.",
            f"{seed['description']} {extra}",
            True,
            *(seed[name] for name in PRACTICE_COPIED),
            created,
            created,
        )
        if rng.random() < 0.3:
            pilots.add(first + number, rng.choice(catalogue.pilot_ids))
    return [practices, pilots]
