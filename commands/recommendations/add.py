"""``/recommendation add``: a coordinator drafts a recommendation, in one line or in a form.

``add "<title>" level european|regional [pilot <pilot>] [theme <theme>] | <text>``; where the
platform has forms, anything short of the text opens the form with what was typed filled in.
Every way in ends in ``checked``, and nothing is written unless all of it passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from commands.context import Context
from commands.errors import CommandError, NotAllowed
from commands.pilots.lookup import not_found_message
from commands.recommendations import views
from commands.reply import Code, Form, FormErrors, FormField, Paragraph, Reply, UserRef, text
from storage.pilots import list_pilots, resolve_pilot
from storage.recommendations import NewRecommendation, create_recommendation
from storage.text import fold

ADD_FORM = "recommendation.add"
ADD_USAGE = (
    '/recommendation add "<title>" level european|regional [pilot <pilot>] [theme <theme>] '
    "| <text>\n"
    'e.g. /recommendation add "Shared pilot plants" level european pilot parks '
    "| Regions should co-fund pilot plants that SMEs can rent."
)
MAX_TITLE, MAX_THEME, MAX_TEXT = 200, 200, 5000
LEVEL_WORDS = {"european": "european", "europe": "european", "eu": "european"} | {
    "regional": "regional",
    "region": "regional",
}
KEYWORDS = ("level", "pilot", "theme")
_TOKEN = re.compile(r'"[^"]*"?|“[^”]*”?|„[^“”]*[“”]?|\S+')
_QUOTES = '"“”„'


@dataclass(frozen=True)
class Draft:
    """What was typed, field by field, before it is checked."""

    title: str = ""
    level: str = ""
    pilot: str = ""
    theme: str = ""
    text: str = ""


def split_line(arguments: str) -> Draft:
    head, bar, body = arguments.partition("|")
    tokens = _TOKEN.findall(head.strip())
    if not tokens or tokens[0][0] not in _QUOTES:
        raise CommandError("Put the title in quotes.", usage=ADD_USAGE)
    title = tokens.pop(0).strip(_QUOTES).strip()
    clauses: dict[str, list[str]] = {}
    current: list[str] | None = None
    for token in tokens:
        word = token.lower()
        if word in KEYWORDS:
            if word in clauses:
                raise CommandError(f"“{word}” is given twice.", usage=ADD_USAGE)
            current = clauses[word] = []
        elif current is None:
            raise CommandError(
                f"After the title comes “level”, “pilot” or “theme”, not “{token}”.",
                usage=ADD_USAGE,
            )
        else:
            current.append(token.strip(_QUOTES))
    for word, value in clauses.items():
        if not value:
            raise CommandError(f"Say what comes after “{word}”.", usage=ADD_USAGE)
    found = {word: " ".join(value) for word, value in clauses.items()}
    return Draft(title=title, text=body.strip() if bar else "", **found)


def checked(ctx: Context, draft: Draft, *, session: Session) -> NewRecommendation:
    """The draft as it will be stored; raises ``FormErrors`` naming each field that is wrong."""
    errors: dict[str, str] = {}
    if not draft.title.strip():
        errors["title"] = "Give the recommendation a title."
    elif len(draft.title) > MAX_TITLE:
        errors["title"] = f"The title is too long ({len(draft.title)} characters, max {MAX_TITLE})."
    level = LEVEL_WORDS.get(fold(draft.level))
    if level is None:
        shown = f", not “{draft.level}”" if draft.level.strip() else ""
        errors["level"] = f"The level is european or regional{shown}."
    pilot_id = None
    if draft.pilot.strip():
        found = resolve_pilot(session=session, group_id=ctx.group_id, query=draft.pilot)
        if found.match is None:
            pilots = list_pilots(session=session, group_id=ctx.group_id)
            errors["pilot"] = not_found_message(found, pilots)
        else:
            pilot_id = found.match.id
    if len(draft.theme) > MAX_THEME:
        errors["theme"] = f"The theme is too long ({len(draft.theme)} characters, max {MAX_THEME})."
    if not draft.text.strip():
        errors["text"] = "Write the recommendation's text."
    elif len(draft.text) > MAX_TEXT:
        errors["text"] = f"The text is too long ({len(draft.text)} characters, max {MAX_TEXT})."
    if errors:
        raise FormErrors(errors)
    return NewRecommendation(
        title=draft.title.strip(),
        level=level or "",
        text=draft.text.strip(),
        pilot_id=pilot_id,
        theme=" ".join(draft.theme.split()),
    )


def add(ctx: Context, arguments: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can add a recommendation.")
    if not arguments.strip() and ctx.can_open_forms:
        return Reply(form=add_form(Draft()))
    draft = split_line(arguments)
    if not draft.text and ctx.can_open_forms:
        return Reply(form=add_form(draft))
    if not draft.text:
        raise CommandError("Write the text after “|”.", usage=ADD_USAGE)
    with ctx.sessions.begin() as session:
        try:
            new = checked(ctx, draft, session=session)
        except FormErrors as problems:
            raise CommandError(" ".join(problems.errors.values()), usage=ADD_USAGE) from None
        return _add(ctx, new, session=session)


def submit_add(ctx: Context, values: dict[str, str], state: str) -> Reply:
    if not ctx.is_coordinator:
        raise NotAllowed("Only a coordinator can add a recommendation.")
    draft = Draft(**{name: values.get(name, "") for name in Draft.__dataclass_fields__})
    with ctx.sessions.begin() as session:
        return _add(ctx, checked(ctx, draft, session=session), session=session)


def _add(ctx: Context, new: NewRecommendation, *, session: Session) -> Reply:
    recommendation = create_recommendation(
        session=session, group_id=ctx.group_id, new=new, created_by_id=ctx.member_id, now=ctx.now
    )
    ref = recommendation.ref
    return Reply(
        heading=f"New recommendation {ref}: {recommendation.title}",
        parts=(
            Paragraph(text(views.about(recommendation))),
            Paragraph(text(views.clip(recommendation.text, 600))),
            Paragraph(
                text(
                    "Drafted by ",
                    UserRef(ctx.identity.user_id, ctx.identity.user_name or ""),
                    ". Endorse it for your region: ",
                    Code(f"/recommendation endorse {ref}"),
                    "; a coordinator opens the consultation: ",
                    Code(f"/recommendation consult {ref} until <when>"),
                    ".",
                )
            ),
        ),
        summary=f"New recommendation {ref}: {recommendation.title}",
    )


def add_form(draft: Draft) -> Form:
    return Form(
        form_id=ADD_FORM,
        title="New recommendation",
        submit_label="Add",
        fields=(
            FormField("title", "Title", max_length=MAX_TITLE, initial=draft.title),
            FormField(
                "level",
                "Level",
                kind="select",
                options=(("european", "European"), ("regional", "Regional")),
                initial=LEVEL_WORDS.get(fold(draft.level), ""),
            ),
            FormField(
                "pilot", "Pilot action", required=False, initial=draft.pilot, placeholder="skills"
            ),
            FormField("theme", "Theme", required=False, max_length=MAX_THEME, initial=draft.theme),
            FormField(
                "text",
                "Recommendation",
                kind="multiline",
                max_length=MAX_TEXT,
                initial=draft.text,
            ),
        ),
    )
