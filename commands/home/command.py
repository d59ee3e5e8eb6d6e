"""``/home``: a person's dashboard, and the buttons on it that open the existing forms.

The same Reply is a Slack Home tab, a Teams card, a direct message or console text; every
button on it is an action of the feature it belongs to (Mark delivered, Add to calendar,
join a region, a region's profile), or one of the few here that open that feature's form.
"""

from __future__ import annotations

from commands.benchmark.command import run as run_benchmark
from commands.benchmark.model import load
from commands.context import Context
from commands.errors import CommandError
from commands.events.drafts import DEADLINES, WORKSHOPS
from commands.events.planning import add as add_event
from commands.home.facts import gather
from commands.home.views import home_reply
from commands.pilots.log import LOG_USAGE, log_form
from commands.reply import Reply
from storage.pilots import list_pilots
from storage.text import fold

USAGE = ("/home",)
SUMMARY = "Your dashboard: your region's figures, deadlines, pilot actions and workshops."


def run(ctx: Context, arguments: str) -> Reply:
    if fold(arguments) not in {"", "show"}:
        raise CommandError(f"/home takes nothing after it, not “{arguments}”.", usage="/home")
    return home_reply(ctx, gather(ctx))


def log_update_button(ctx: Context, pilot_key: str) -> Reply:
    """ "Log an update" under a pilot: the /pilot log form, that pilot chosen."""
    with ctx.sessions() as session:
        pilots = list_pilots(session=session, group_id=ctx.group_id)
    pilot = next((p for p in pilots if p.key == pilot_key), None)
    if pilot is None:
        raise CommandError("That pilot action is no longer in the working group.")
    if not ctx.can_open_forms:
        raise CommandError(f"Write what happened in {pilot.name}.", usage=LOG_USAGE)
    return Reply(form=log_form(pilots, pilot_key=pilot.key))


def add_workshop_button(ctx: Context, _value: str) -> Reply:
    return add_event(ctx, WORKSHOPS, "")


def add_deadline_button(ctx: Context, _value: str) -> Reply:
    return add_event(ctx, DEADLINES, "")


def chart_button(ctx: Context, value: str) -> Reply:
    """ "Chart" beside a region's figures: ``value`` is ``<region key>@<edition label>``, as
    for the profile button; drawn by /benchmark as if typed."""
    key, _, label = value.partition("@")
    bench = load(ctx)
    region = next((r for r in bench.regions if r.key == key), None)
    if region is None or not any(e.label == label for e in bench.editions_with_values()):
        raise CommandError("That region or edition is no longer in the benchmark.")
    return run_benchmark(ctx, f"{region.name} {label} chart")
