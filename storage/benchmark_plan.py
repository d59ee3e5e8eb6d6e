"""What a benchmark import would do: the editions it writes, their figures, its problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.sheets import Problem


@dataclass(frozen=True)
class PlannedValue:
    region_id: int
    indicator_id: int
    value: float
    row: int


@dataclass
class EditionPlan:
    label: str
    year: int
    existing_id: int | None = None
    existing_values: int = 0  # figures the import replaces
    was_sample: bool = False
    values: list[PlannedValue] = field(default_factory=list)
    no_figures: int = 0  # cells marked n/a

    @property
    def is_new(self) -> bool:
        return self.existing_id is None


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot be done."""

    filename: str
    layout: str = ""  # "long" or "wide"
    editions: list[EditionPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    regions_without_figures: list[str] = field(default_factory=list)
    # Set for a partner's delivery: only this region's figures are read and replaced.
    scope_region_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.editions)

    @property
    def value_count(self) -> int:
        return sum(len(e.values) for e in self.editions)
