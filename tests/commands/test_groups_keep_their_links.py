"""What one working group set up is not another's to take over: a channel shared between the
groups' workspaces (Slack Connect) keeps the link the first group made, and a form handed out
in one group is not submitted into the other (its state names the first group's records)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from bot.console.render import render
from commands.context import Identity
from commands.messages import POSTED, ChatMessage
from commands.pilots.log import LOG_FORM
from storage.groups import default_group
from storage.models import AuditEntry, PilotChannel, PilotUpdate
from storage.pilot_channels import linked_pilot
from tests.commands.pilots.test_messages import Lookups
from tests.conftest import COORDINATOR_ID, FIXED_NOW
from tests.support.groups import create_batteries

SHARED = "CSHARED"  # one channel, in both groups' workspaces
ASTRID = Identity(  # the batteries group's coordinator, named in its file
    platform="slack", user_id="UBATT01", workspace_id="TBATT", channel_id=SHARED, user_name="a"
)


def _counts(sessions) -> tuple[int, int, int]:
    with sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (AuditEntry, PilotChannel, PilotUpdate)
        )


def test_a_shared_channel_keeps_the_first_groups_link(core, coordinator, sessions):
    batteries_id = create_batteries(sessions, workspace="TBATT")
    here = replace(coordinator, channel_id=SHARED)
    assert "linked to Skills foresight" in render(core.run_line(here, "/pilot link skills"))
    core.run_line(ASTRID, "/chemclust who")  # her first contact, recorded apart
    before = _counts(sessions)

    refused = core.run_line(ASTRID, "/pilot link recycling")

    assert refused.private
    shown = render(refused)
    assert "shared with another working group" in shown
    assert "update <pilot>: …" in shown
    assert "Skills" not in shown
    assert _counts(sessions) == before
    with sessions() as session:
        chemclust_id = default_group(session=session).id
        kept = linked_pilot(
            session=session, group_id=chemclust_id, platform="slack", channel_id=SHARED
        )
        assert kept is not None
        assert kept.name == "Skills foresight"
        theirs = linked_pilot(
            session=session, group_id=batteries_id, platform="slack", channel_id=SHARED
        )
        assert theirs is None
    asked = render(core.run_line(replace(ASTRID, user_id="UBATT02"), "/pilot link"))
    assert "not linked to a pilot" in asked
    assert "Skills" not in asked

    # Her group's updates there name their pilot, and go to her group's.
    core.run_line(ASTRID, "/chemclust join Vasterbotten")
    message = ChatMessage(
        kind=POSTED, channel_id=SHARED, message_id="1764320400.000001",
        text="update recycling: Black mass line opened", author_id=ASTRID.user_id,
        posted_at=FIXED_NOW - timedelta(hours=1), lookups=Lookups(),
    )  # fmt: skip
    core.handle_message(ASTRID, message)
    with sessions() as session:
        logged = session.scalars(select(PilotUpdate).where(PilotUpdate.channel_id == SHARED))
        assert [(u.group_id, u.pilot.name) for u in logged] == [(batteries_id, "Cell recycling")]


def test_a_form_opened_in_one_group_is_not_submitted_into_another(core, sessions):
    create_batteries(sessions, workspace="TBATT")
    ada = Identity(platform="slack", user_id="WADA", workspace_id="T0001", channel_id="C1")
    core.run_line(ada, "/chemclust join Limburg")
    opened = core.run_command(ada, "pilot", "log", can_open_forms=True)
    before = _counts(sessions)

    # Her workspace now answers for the batteries group (relinked), or she is the same
    # Enterprise Grid user in its workspace: the form of ChemClust is no form there.
    elsewhere = replace(ada, workspace_id="TBATT")
    values = {"pilot": "recycling", "status": "done", "text": "Black mass line"}
    submitted = core.submit_form(elsewhere, LOG_FORM, values, opened.form.state)

    assert submitted.reply.private
    assert "opened in another working group" in render(submitted.reply)
    assert "nothing was saved" in render(submitted.reply)
    assert _counts(sessions)[1:] == before[1:]
    # In the group it was opened in, it still works.
    done = core.submit_form(ada, LOG_FORM, {**values, "pilot": "skills"}, opened.form.state)
    assert "Logged for Limburg under Skills foresight" in render(done.reply)
    assert COORDINATOR_ID not in render(done.reply)
