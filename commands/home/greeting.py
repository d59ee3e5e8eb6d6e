"""What the bot says to text written to it that is no command, and to someone it meets first.

Never silence: a short answer saying what it understands, with buttons for the commands
people want most. Each button runs a command line, exactly as if the person had typed it.
"""

from __future__ import annotations

from commands.context import Context
from commands.errors import CommandError
from commands.reply import Actions, Button, Code, Paragraph, Reply, text

RUN_ACTION = "home.run"
EXAMPLES = ("benchmark Limburg", "practice training", "workshop list", "home", "help")


def common_buttons(ctx: Context) -> Actions:
    found = [Button("Your home", RUN_ACTION, value="home", style="primary")]
    if ctx.region_name:
        found.append(
            Button(
                f"{ctx.region_name} in the benchmark",
                RUN_ACTION,
                value="benchmark " + ctx.region_name,
            )
        )
    found += [
        Button("League table", RUN_ACTION, value="benchmark"),
        Button("Workshops", RUN_ACTION, value="workshop list"),
        Button("Deadlines", RUN_ACTION, value="deadline list"),
        Button("All commands", RUN_ACTION, value="chemclust help"),
    ]
    return Actions(tuple(found))


def examples() -> Paragraph:
    pieces: list = ["Write a command, with or without the slash: "]
    for number, example in enumerate(EXAMPLES):
        pieces += [", " if number else "", Code(example)]
    pieces.append(".")
    return Paragraph(tuple(pieces))


def short_help(ctx: Context, written: str) -> Reply:
    """The answer to text that is no command: what was not understood, and what is."""
    said = f"I do not understand “{written.strip()}”." if written.strip() else "Hello!"
    return Reply(
        private=True,
        parts=(Paragraph(text(said)), examples(), common_buttons(ctx)),
        summary=f"{said} Try help.",
    )


def welcome(ctx: Context) -> Reply:
    """The first words to someone who has just installed or opened the bot."""
    joined = (
        f"You represent {ctx.region_name}."
        if ctx.region_name
        else "Start by saying which region you represent: "
    )
    opening = text(f"Hello, I am the bot of the {ctx.group_name}. ", joined)
    if not ctx.region_name:
        opening += (Code("chemclust join <region>"), ".")
    return Reply(
        heading=f"Welcome to the {ctx.group_name}",
        parts=(Paragraph(opening), examples(), common_buttons(ctx)),
        summary=f"Welcome to the {ctx.group_name}: write help to see what I do.",
    )


def run_button(ctx: Context, line: str) -> Reply:
    """A button of the short help: the command line it carries, run as typed by the clicker."""
    name, _, arguments = line.strip().partition(" ")
    command = ctx.registry.find_command(name) if name else None
    if command is None:
        raise CommandError("That button no longer works; write help to see the commands.")
    return command.handler(ctx, arguments.strip())
