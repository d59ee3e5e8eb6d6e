"""The fields of a good practice and the one validation every way in shares.

Slack's modal, the console's ``add``/``edit`` and the spreadsheet import all hand in plain
strings by field name; ``clean_practice`` turns them into checked values or raises
``InvalidPractice`` with one message per field, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import THEME_SEPARATOR, PilotAction, Practice, Region
from storage.numbers import MAX_ID, NumberError, WholeNumber
from storage.pilots import list_pilots, resolve_pilot
from storage.practice_themes import CATEGORIES, THEME_NAMES, resolve_category, resolve_theme
from storage.regions import resolve_region
from storage.text import fold

# Several themes or pilots in one field: "Skills and training, Open innovation".
_LIST_SEPARATORS = re.compile(r"\s*[,;\n]\s*")
EARLIEST_YEAR = 1950
PRACTICE_NUMBER = WholeNumber("a practice number", 1, MAX_ID, "12")


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the column, and the key in submitted values
    label: str
    max_length: int
    required: bool = False
    # Other names accepted from the console and in spreadsheet headers.
    aliases: tuple[str, ...] = ()
    hint: str = ""


FIELDS = (
    FieldSpec("title", "Title", 200, required=True),
    FieldSpec("region", "Region", 120, required=True),
    FieldSpec(
        "themes",
        "Themes",
        400,
        required=True,
        aliases=("theme",),
        hint="The main theme first, then any others, separated by commas.",
    ),
    FieldSpec(
        "pilots",
        "Pilot actions",
        300,
        aliases=("pilot", "pilot actions", "pilot action"),
        hint="Any of: chemical parks, open innovation, skills; separated by commas.",
    ),
    FieldSpec("category", "Category", 60, hint="One of: " + ", ".join(CATEGORIES) + "."),
    FieldSpec("organisation", "Organisation", 300, aliases=("organization", "institution")),
    FieldSpec("summary", "Summary", 500, required=True, hint="One or two sentences."),
    FieldSpec("description", "Description", 3000),
    FieldSpec("resources_needed", "Resources needed", 1500, aliases=("resources",)),
    FieldSpec("evidence_of_success", "Evidence of success", 1500, aliases=("evidence",)),
    FieldSpec(
        "difficulties_met",
        "Difficulties met",
        1500,
        aliases=("difficulties", "difficulties encountered"),
    ),
    FieldSpec(
        "potential_for_transfer",
        "Potential for transfer",
        1500,
        aliases=("transfer", "potential for learning or transfer"),
    ),
    FieldSpec("contact", "Contact", 300),
    FieldSpec("link", "Link", 500, aliases=("url", "website"), hint="An http(s) address."),
    FieldSpec("year", "Year", 4, hint="The year the practice started."),
)
FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}
# Free-text fields copied as they are (after trimming and the length check).
TEXT_FIELDS = (
    "title",
    "organisation",
    "summary",
    "description",
    "resources_needed",
    "evidence_of_success",
    "difficulties_met",
    "potential_for_transfer",
    "contact",
)
# Fields whose line breaks are kept; all others are one line with single spaces.
MULTILINE_FIELDS = frozenset(
    {
        "description",
        "resources_needed",
        "evidence_of_success",
        "difficulties_met",
        "potential_for_transfer",
    }
)
MIN_TITLE = 5


def field_named(name: str) -> FieldSpec | None:
    """The field a person means by ``name``: its key, label or an alias, in any case."""
    wanted = fold(name)
    for spec in FIELDS:
        if wanted in {fold(spec.name), fold(spec.label), *(fold(a) for a in spec.aliases)}:
            return spec
    return None


@dataclass(frozen=True)
class PracticeValues:
    """A practice's fields, checked and resolved, ready to be written."""

    title: str
    region: Region
    themes: tuple[str, ...]  # canonical names, the main theme first
    pilots: tuple[PilotAction, ...]
    category: str
    organisation: str
    summary: str
    description: str
    resources_needed: str
    evidence_of_success: str
    difficulties_met: str
    potential_for_transfer: str
    contact: str
    link: str
    year: int | None


class InvalidPractice(Exception):
    """Values that cannot be saved; ``errors`` maps field names to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def split_list(value: str) -> list[str]:
    return [item for item in _LIST_SEPARATORS.split(value.strip()) if item]


def clean_practice(
    raw: Mapping[str, str],
    *,
    session: Session,
    group_id: int,
    this_year: int,
    practice_id: int | None = None,
) -> PracticeValues:
    """Check every field of a practice; ``practice_id`` is the record being edited, if any."""
    values = {name: _normalised(name, raw.get(name)) for name in FIELDS_BY_NAME}
    errors: dict[str, str] = {}
    for spec in FIELDS:
        value = values[spec.name]
        if spec.required and not value:
            errors[spec.name] = f"Fill in the {spec.label.lower()}."
        elif len(value) > spec.max_length and spec.name != "year":  # a year gets its own check
            errors[spec.name] = (
                f"{spec.label} is {len(value)} characters long; the most is {spec.max_length}."
            )
    if "title" not in errors and len(values["title"]) < MIN_TITLE:
        errors["title"] = f"Give the title at least {MIN_TITLE} characters."

    region = _region(values["region"], session=session, group_id=group_id, errors=errors)
    themes = _themes(values["themes"], errors=errors)
    pilots = _pilots(values["pilots"], session=session, group_id=group_id, errors=errors)
    category = ""
    if values["category"]:
        category = resolve_category(values["category"]) or ""
        if not category:
            errors["category"] = (
                f"“{values['category']}” is not a category; use one of: {', '.join(CATEGORIES)}."
            )
    link = values["link"]
    if link and "link" not in errors and not is_web_address(link):
        errors["link"] = "Give a web address starting with http:// or https://."
    year = _year(values["year"], this_year=this_year, errors=errors)
    if region is not None and "title" not in errors:
        twin = find_same_title(
            session=session, group_id=group_id, region_id=region.id, title=values["title"]
        )
        if twin is not None and twin.id != practice_id:
            errors["title"] = f"{region.name} already has a practice with this title (#{twin.id})."
    if errors or region is None:  # a missing region is among the errors
        raise InvalidPractice(errors)
    return PracticeValues(
        region=region,
        themes=themes,
        pilots=pilots,
        category=category,
        link=link,
        year=year,
        **{name: values[name] for name in TEXT_FIELDS},
    )


def _normalised(name: str, value: object) -> str:
    text = "" if value is None else str(value)
    if name in MULTILINE_FIELDS:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    text = " ".join(text.split())
    # Spreadsheets hand over whole numbers as "2012.0".
    return text.removesuffix(".0") if name == "year" else text


def is_web_address(value: str) -> bool:
    if any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    host = parts.hostname or ""
    return parts.scheme in {"http", "https"} and "." in host and not host.startswith(".")


def find_same_title(
    *, session: Session, group_id: int, region_id: int, title: str
) -> Practice | None:
    return session.scalar(
        select(Practice)
        .where(
            Practice.group_id == group_id,
            Practice.region_id == region_id,
            func.lower(Practice.title) == title.lower(),
        )
        .limit(1)
    )


def _region(
    value: str, *, session: Session, group_id: int, errors: dict[str, str]
) -> Region | None:
    if not value:
        return None
    found = resolve_region(session=session, group_id=group_id, query=value)
    if found.match is not None:
        return found.match
    names = ", ".join(r.name for r in found.candidates)
    if found.ambiguous:
        errors["region"] = f"“{value}” fits several regions: {names}."
    else:
        closest = f" Closest: {names}." if names else ""
        errors["region"] = f"I don't know a partner region called “{value}”.{closest}"
    return None


def _themes(value: str, *, errors: dict[str, str]) -> tuple[str, ...]:
    names: list[str] = []
    for item in split_list(value):
        found = resolve_theme(item)
        if found.match is None:
            errors["themes"] = f"“{item}” is not a theme. Themes: {', '.join(THEME_NAMES)}."
            return ()
        if found.match.name not in names:
            names.append(found.match.name)
    if value and not names:
        errors["themes"] = f"Name at least one theme: {', '.join(THEME_NAMES)}."
    return tuple(names)


def _pilots(
    value: str, *, session: Session, group_id: int, errors: dict[str, str]
) -> tuple[PilotAction, ...]:
    pilots: list[PilotAction] = []
    for item in split_list(value):
        found = resolve_pilot(session=session, group_id=group_id, query=item)
        if found.match is None:
            names = ", ".join(p.name for p in list_pilots(session=session, group_id=group_id))
            errors["pilots"] = f"“{item}” is not a pilot action. Pilot actions: {names}."
            return ()
        if found.match not in pilots:
            pilots.append(found.match)
    return tuple(pilots)


def _year(value: str, *, this_year: int, errors: dict[str, str]) -> int | None:
    if not value or "year" in errors:
        return None
    try:
        return WholeNumber("a year", EARLIEST_YEAR, this_year, "2011").read(value)
    except NumberError as error:
        errors["year"] = str(error)
        return None


def practice_strings(practice: Practice) -> dict[str, str]:
    """A practice's fields as the strings ``clean_practice`` takes: for edits and exports."""
    strings = {name: getattr(practice, name) or "" for name in TEXT_FIELDS}
    strings |= {
        "region": practice.region.name,
        "themes": ", ".join(practice.theme_names),
        "pilots": ", ".join(p.name for p in practice.pilots),
        "category": practice.category,
        "link": practice.link,
        "year": "" if practice.year is None else str(practice.year),
    }
    return strings


def themes_column(themes: tuple[str, ...]) -> str:
    return THEME_SEPARATOR.join(themes)
