"""Two working groups in one database: a coordinator's audit trail, a person's data and a
person's erasure each stay inside the group they are asked in, even for someone who is a
member of both under the same user id (an Enterprise Grid user, the console's operator)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from sqlalchemy import select

from bot.console.render import render
from bot.console.repl import run_console
from commands.context import Identity
from storage.form_sessions import issue_form_session
from storage.group_scope import belongs_to_a_group, in_group
from storage.groups import default_group, group_by_slug
from storage.models import PENDING, Base, FormSession, Reminder
from tests.conftest import COORDINATOR_ID, FIXED_NOW
from tests.support.groups import BATTERIES, create_batteries

BATTERIES_TEAM = "TBATT"
HOME_TEAM = "T0001"  # linked to no group: the default group's
ASTRID = Identity(
    platform="slack",
    user_id="UBATT01",  # the batteries group's coordinator, named in its file
    workspace_id=BATTERIES_TEAM,
    channel_id="CBATT",
    user_name="astrid",
)
CONSOLE_COORDINATOR = Identity(platform="console", user_id=COORDINATOR_ID, user_name="coord")


def ada_in(team: str) -> Identity:
    """Ada, one user id in both groups' workspaces (an Enterprise Grid user)."""
    return Identity(
        platform="slack", user_id="WADA", workspace_id=team, channel_id="C1", user_name="Ada Lov"
    )


def said(core, who: Identity, line: str) -> str:
    return render(core.run_line(who, line))


def console(core, tmp_path, *lines: str) -> str:
    out = io.StringIO()
    stdin = io.StringIO("\n".join(lines) + "\n")
    run_console(core, CONSOLE_COORDINATOR, out_dir=tmp_path, stdin=stdin, stdout=out)
    return out.getvalue()


def test_a_change_in_another_group_never_appears_in_the_console_audit(core, sessions, tmp_path):
    create_batteries(sessions, workspace=BATTERIES_TEAM)
    added = said(core, ASTRID, '/workshop add "Cell plant visit" 10/12/2030 10:00 at Skellefteå')
    assert "Cell plant visit" in added
    assert "Västerbotten" in said(core, ASTRID, "/chemclust join Vasterbotten")

    chemclust = console(
        core,
        tmp_path,
        "/chemclust audit",
        "/chemclust audit workshop W1",
        "/chemclust audit member 1",
        "/chemclust audit since 2020-01-01",
    )
    assert "Audit trail" in chemclust
    assert "No change is recorded that fits." in chemclust
    for trace in ("Cell plant", "Västerbotten", "UBATT01", "astrid", "Skellefteå"):
        assert trace not in chemclust

    # The same questions in the batteries group find its changes: the test can see them.
    batteries = said(core, ASTRID, "/chemclust audit")
    assert "Cell plant visit" in batteries
    assert "Västerbotten" in batteries
    assert "export audit --group batteries" in batteries


def _group_rows(sessions, group_id: int) -> dict[str, list[tuple]]:
    """Every row of every table that belongs to the group, as it is."""
    rows = {}
    with sessions() as session:
        for table in Base.metadata.sorted_tables:
            if belongs_to_a_group(table):
                query = select(table).where(in_group(table, group_id))
                rows[table.name] = sorted(map(tuple, session.execute(query)), key=repr)
    return rows


def _reach_ada(sessions, group_id: int) -> None:
    """A form handed to Ada and a reminder waiting for her, in the group ``group_id``."""
    with sessions.begin() as session:
        issue_form_session(
            session=session, group_id=group_id, platform="slack", user_id="WADA",
            channel_id="C1", parent_channel_id=None, form_id="practice.add", state="",
            definition={}, now=FIXED_NOW,
        )  # fmt: skip
        session.add(
            Reminder(
                group_id=group_id, kind="notice", due_at=FIXED_NOW + timedelta(days=1),
                not_before=FIXED_NOW, platform="slack", target={"user": "WADA"}, payload={},
            )
        )  # fmt: skip


def test_my_data_and_forget_me_stay_in_the_group_they_are_asked_in(core, sessions, tmp_path):
    batteries_id = create_batteries(sessions, workspace=BATTERIES_TEAM)
    with sessions() as session:
        chemclust_id = default_group(session=session).id
    home, valley = ada_in(HOME_TEAM), ada_in(BATTERIES_TEAM)
    assert "Limburg" in said(core, home, "/chemclust join Limburg")
    said(core, home, "/pilot log parks Steam network shared by Ada Lov")
    assert "Västerbotten" in said(core, valley, "/chemclust join Vasterbotten")
    logged = said(core, valley, "/pilot log recycling Black mass line opened by Ada Lov")
    assert "Black mass line" in logged, logged
    for group_id in (chemclust_id, batteries_id):
        _reach_ada(sessions, group_id)

    reply = core.run_line(home, "/chemclust my data")
    [as_json] = [f for f in reply.files if f.filename.endswith(".json")]
    tables = json.loads(as_json.content)["tables"]
    assert [u["text"] for u in tables["pilot_update"]] == ["Steam network shared by Ada Lov"]
    assert {m["group_id"] for m in tables["member"]} == {chemclust_id}
    assert {row["group_id"] for name in ("audit_entry", "form_session", "reminder")
            for row in tables[name]} == {chemclust_id}  # fmt: skip
    assert "Black mass" not in as_json.content.decode()
    assert "Västerbotten" not in as_json.content.decode()

    batteries_before = _group_rows(sessions, batteries_id)
    assert "You are forgotten" in said(core, home, "/chemclust forget me confirm")
    assert _group_rows(sessions, batteries_id) == batteries_before
    chemclust_after = str(_group_rows(sessions, chemclust_id))
    assert "WADA" not in chemclust_after
    assert "Ada Lov" not in chemclust_after
    with sessions() as session:
        assert session.scalars(
            select(FormSession.group_id).where(FormSession.user_id == "WADA")
        ).all() == [batteries_id]
        waiting = select(Reminder.group_id).where(Reminder.status == PENDING)
        assert session.scalars(waiting).all() == [batteries_id]
        assert group_by_slug(session=session, slug=BATTERIES).id == batteries_id

    # In the batteries group she is still herself, with her update.
    still = core.run_line(valley, "/chemclust my data")
    [valley_json] = [f for f in still.files if f.filename.endswith(".json")]
    assert "Black mass line opened by Ada Lov" in valley_json.content.decode()
