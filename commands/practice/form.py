"""``/practice add`` and ``/practice edit``: a Slack modal, or one line in the console.

Partners add practices of their own region, coordinators of any; the author and the
coordinators may change a practice. Every way in ends in ``storage.practice_fields``'s one
validation, and nothing is written unless all of it passes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.numbers import read_number
from commands.practice import views
from commands.reply import (
    Bold,
    Code,
    Form,
    FormErrors,
    FormField,
    Paragraph,
    Reply,
    UserRef,
    text,
)
from storage.models import Practice
from storage.pilots import list_pilots
from storage.practice_fields import (
    FIELDS,
    FIELDS_BY_NAME,
    PRACTICE_NUMBER,
    InvalidPractice,
    PracticeValues,
    clean_practice,
    field_named,
    practice_strings,
    split_list,
)
from storage.practice_themes import CATEGORIES, THEME_NAMES
from storage.practices import create_practice, get_practice, update_practice
from storage.regions import list_regions

ADD_FORM = "practice.add"
EDIT_FORM = "practice.edit"
ADD_USAGE = "/practice add <title> | <region> | <theme> | <summary>"
EDIT_USAGE = "/practice edit <id> <field>=<value> | <field>=<value> …"
JOIN_FIRST = "Say which region you represent first: /chemclust join <region>."


# Adding -----------------------------------------------------------------------------------


def add(ctx: Context, arguments: str) -> Reply:
    if not ctx.is_coordinator and ctx.region_id is None:
        raise NotAllowed(f"Partners add practices of their own region. {JOIN_FIRST}")
    if not arguments.strip():
        if ctx.can_open_forms:
            return Reply(form=practice_form(ctx, None))
        raise CommandError(
            "Give the title, region, theme and summary, separated by “|”.",
            usage=ADD_USAGE
            + "\ne.g. /practice add Shared pilot plant | Limburg | Shared R&D facilities | "
            "Companies rent a pilot plant on the campus to scale up new processes.",
        )
    pieces = [piece.strip() for piece in arguments.split("|")]
    if len(pieces) != 4:
        raise CommandError(
            f"Give four parts separated by “|”, not {len(pieces)}: title, region, theme, summary.",
            usage=ADD_USAGE,
        )
    raw = dict(zip(("title", "region", "themes", "summary"), pieces, strict=True))
    with ctx.sessions.begin() as session:
        values = _checked(ctx, raw, session=session)
        _check_region_allowed(ctx, values, editing=None, as_form=False)
        return _add(ctx, values, session=session)


def submit_add(ctx: Context, values: dict[str, str], state: str) -> Reply:
    with ctx.sessions.begin() as session:
        return _add(ctx, _checked_form(ctx, values, session=session, editing=None), session=session)


def _add(ctx: Context, values: PracticeValues, *, session: Session) -> Reply:
    """Write the checked practice as the person's own and announce it."""
    practice = create_practice(
        session=session,
        group_id=ctx.group_id,
        values=values,
        now=ctx.now,
        created_by_id=ctx.member_id,
    )
    return Reply(
        heading=f"New good practice #{practice.id}",
        parts=(
            views.result_item(practice),
            Paragraph(
                text(
                    "Added by ",
                    UserRef(ctx.identity.user_id, ctx.identity.user_name or ""),
                    ". The whole record: ",
                    Code(f"/practice show {practice.id}"),
                    "; more fields: ",
                    Code(f"/practice edit {practice.id}"),
                    ".",
                )
            ),
        ),
        summary=f"New good practice from {practice.region.name}: {practice.title}",
    )


# Changing ---------------------------------------------------------------------------------


def edit(ctx: Context, arguments: str) -> Reply:
    number, _, changes = arguments.strip().partition(" ")
    practice_id = parse_id(number, usage=EDIT_USAGE)
    with ctx.sessions.begin() as session:
        practice = _editable(ctx, practice_id, session=session)
        if not changes.strip():
            if ctx.can_open_forms:
                return Reply(form=practice_form(ctx, practice))
            return _edit_help(practice)
        raw = practice_strings(practice) | _assignments(changes)
        values = _checked(ctx, raw, session=session, practice_id=practice.id)
        _check_region_allowed(ctx, values, editing=practice, as_form=False)
        changed = update_practice(session=session, practice=practice, values=values, now=ctx.now)
        return _updated(practice, changed)


def submit_edit(ctx: Context, values: dict[str, str], state: str) -> Reply:
    practice_id = parse_id(state, usage=EDIT_USAGE)
    with ctx.sessions.begin() as session:
        practice = _editable(ctx, practice_id, session=session)
        checked = _checked_form(ctx, values, session=session, editing=practice)
        changed = update_practice(session=session, practice=practice, values=checked, now=ctx.now)
        return _updated(practice, changed)


def parse_id(typed: str, *, usage: str) -> int:
    number = typed.strip().lstrip("#")
    if not number:
        raise CommandError("Say which practice, by its number.", usage=usage)
    return read_number(PRACTICE_NUMBER, number, usage=usage, shown=typed)


def may_edit(ctx: Context, practice: Practice) -> bool:
    return ctx.is_coordinator or (
        ctx.member_id is not None and practice.created_by_id == ctx.member_id
    )


def _editable(ctx: Context, practice_id: int, *, session: Session) -> Practice:
    practice = get_practice(session=session, group_id=ctx.group_id, practice_id=practice_id)
    if practice is None:
        raise CommandError(f"There is no practice #{practice_id}.", usage=EDIT_USAGE)
    if not may_edit(ctx, practice):
        raise NotAllowed(
            f"Only the person who added practice #{practice_id} and the coordinators can change it."
        )
    return practice


def _assignments(changes: str) -> dict[str, str]:
    """``summary=New text | year=2011`` -> field values; unknown fields raise CommandError."""
    raw: dict[str, str] = {}
    for assignment in changes.split("|"):
        name, equals, value = assignment.partition("=")
        spec = field_named(name)
        if not equals or spec is None:
            known = ", ".join(spec.name for spec in FIELDS)
            raise CommandError(
                f"“{assignment.strip()}” does not name a field. Fields: {known}.",
                usage=EDIT_USAGE,
            )
        raw[spec.name] = value.strip()
    return raw


def _updated(practice: Practice, changed: list[str]) -> Reply:
    what = ", ".join(changed) if changed else "nothing changed"
    return Reply(
        private=True,
        parts=(
            Paragraph(
                text("Practice ", Bold(f"#{practice.id} {practice.title}"), f" updated: {what}.")
            ),
            Paragraph(text("See it: ", Code(f"/practice show {practice.id}"))),
        ),
        summary=f"Practice #{practice.id} updated.",
    )


def _edit_help(practice: Practice) -> Reply:
    current = practice_strings(practice)
    lines = "\n".join(f"{spec.name}={current[spec.name]}" for spec in FIELDS if current[spec.name])
    return Reply(
        private=True,
        heading=f"Change practice #{practice.id}",
        parts=(
            Paragraph(text("Give the fields to change as field=value, separated by “|”.")),
            Paragraph(text(Code(EDIT_USAGE))),
            Paragraph(
                text(f"e.g. /practice edit {practice.id} year=2011 | contact=Innovation office")
            ),
            Paragraph(text(Bold("Now"), "\n", lines)),
        ),
    )


# Checks shared by both ways in --------------------------------------------------------------


def _checked(
    ctx: Context, raw: dict[str, str], *, session: Session, practice_id: int | None = None
) -> PracticeValues:
    try:
        return clean_practice(
            raw,
            session=session,
            group_id=ctx.group_id,
            this_year=ctx.now.year,
            practice_id=practice_id,
        )
    except InvalidPractice as invalid:
        problems = "\n".join(
            f"• {FIELDS_BY_NAME[name].label}: {message}" for name, message in invalid.errors.items()
        )
        verb = "changed" if practice_id else "added"
        raise CommandError(
            f"The practice was not {verb}:\n{problems}",
            usage=EDIT_USAGE if practice_id else ADD_USAGE,
        ) from None


def _check_region_allowed(
    ctx: Context, values: PracticeValues, *, editing: Practice | None, as_form: bool
) -> None:
    """Partners write for their own region only (or keep the region a practice already has)."""
    if ctx.is_coordinator:
        return
    allowed = {ctx.region_id} | ({editing.region_id} if editing else set())
    if values.region.id in allowed:
        return
    own = ctx.region_name or "no region yet"
    message = (
        f"Partners add practices of their own region ({own}), not {values.region.name}; "
        "coordinators can add any region's."
    )
    if as_form:
        raise FormErrors({"region": message})
    raise NotAllowed(message)


# The Slack modal -------------------------------------------------------------------------------

OTHER_THEMES = "other_themes"


def practice_form(ctx: Context, practice: Practice | None) -> Form:
    current = practice_strings(practice) if practice else {}
    themes = split_list(current.get("themes", ""))
    with ctx.sessions() as session:
        regions = list_regions(session=session, group_id=ctx.group_id)
        pilots = ", ".join(p.key for p in list_pilots(session=session, group_id=ctx.group_id))
    if not ctx.is_coordinator:
        allowed = {ctx.region_id, practice.region_id if practice else None}
        regions = [r for r in regions if r.id in allowed]
    region_initial = current.get("region") or ctx.region_name or ""
    region_key = next((r.key for r in regions if r.name == region_initial), "")

    def text_field(name: str, kind: str = "text", placeholder: str = "") -> FormField:
        field = FIELDS_BY_NAME[name]
        return FormField(
            name,
            field.label,
            kind=kind,
            required=field.required,
            initial=current.get(name, ""),
            hint=field.hint,
            placeholder=placeholder,
            max_length=field.max_length,
        )

    fields = (
        text_field("title", placeholder="What was done, where: a name others will search for"),
        FormField(
            "region",
            "Region",
            kind="select",
            options=tuple((r.key, r.name) for r in regions),
            initial=region_key,
        ),
        FormField(
            "theme",
            "Main theme",
            kind="select",
            options=tuple((name, name) for name in THEME_NAMES),
            initial=themes[0] if themes else "",
        ),
        FormField(
            OTHER_THEMES,
            "Other themes",
            required=False,
            initial=", ".join(themes[1:]),
            hint="Separated by commas: " + ", ".join(THEME_NAMES) + ".",
            max_length=300,
        ),
        FormField(
            "pilots",
            "Pilot actions",
            required=False,
            initial=current.get("pilots", ""),
            hint=f"Separated by commas: {pilots}.",
            max_length=300,
        ),
        FormField(
            "category",
            "Category",
            kind="select",
            required=False,
            options=tuple((name, name) for name in CATEGORIES),
            initial=current.get("category", ""),
        ),
        text_field("organisation"),
        text_field("summary", kind="multiline"),
        text_field("description", kind="multiline"),
        text_field("resources_needed", kind="multiline"),
        text_field("evidence_of_success", kind="multiline"),
        text_field("difficulties_met", kind="multiline"),
        text_field("potential_for_transfer", kind="multiline"),
        text_field("contact", placeholder="A role or office rather than a person's name"),
        text_field("link", kind="url", placeholder="https://…"),
        text_field("year", placeholder="e.g. 2011"),
    )
    return Form(
        form_id=EDIT_FORM if practice else ADD_FORM,
        title=f"Edit practice #{practice.id}" if practice else "New good practice",
        fields=fields,
        submit_label="Save" if practice else "Add",
        state=str(practice.id) if practice else "",
    )


def _form_raw(values: dict[str, str]) -> dict[str, str]:
    raw = {name: values.get(name, "") for name in FIELDS_BY_NAME if name != "themes"}
    raw["themes"] = ", ".join(
        item for item in (values.get("theme", ""), values.get(OTHER_THEMES, "")) if item.strip()
    )
    return raw


def _checked_form(
    ctx: Context, values: dict[str, str], *, session: Session, editing: Practice | None
) -> PracticeValues:
    """The submitted modal, checked; problems go back to the modal, next to their fields."""
    try:
        checked = clean_practice(
            _form_raw(values),
            session=session,
            group_id=ctx.group_id,
            this_year=ctx.now.year,
            practice_id=editing.id if editing else None,
        )
    except InvalidPractice as invalid:
        errors = dict(invalid.errors)
        if "themes" in errors:
            # The main theme is a menu; a problem with the themes is in the free-text ones.
            target = OTHER_THEMES if values.get("theme", "").strip() else "theme"
            errors[target] = errors.pop("themes")
        raise FormErrors(errors) from None
    _check_region_allowed(ctx, checked, editing=editing, as_form=True)
    return checked
