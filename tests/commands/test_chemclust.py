"""/chemclust: joining a region, who is who, coordinators, help."""

from __future__ import annotations

from commands.context import PERSON, Mention
from commands.reply import Actions, Fields, Paragraph, UserRef, plain
from storage.groups import default_group
from storage.members import get_member

# As an adapter hands a mention of U777 ("@someone") to the core.
SOMEONE = (Mention(PERSON, "U777", "someone"),)


def texts(reply) -> str:
    out = []
    for part in reply.parts:
        if isinstance(part, Paragraph):
            out.append(plain(part.text))
        elif isinstance(part, Fields):
            out += [f"{f.label}: {plain(f.value)}" for f in part.items]
    return "\n".join(out)


def member(sessions, user_id):
    with sessions() as session:
        group = default_group(session=session)
        return get_member(session=session, group_id=group.id, platform="slack", user_id=user_id)


def test_join_records_the_region_and_who_lists_the_person_under_it(core, partner, sessions):
    reply = core.run_line(partner, "/chemclust join limburg")
    assert reply.private
    assert "You now represent Limburg" in texts(reply)
    assert member(sessions, partner.user_id).region.name == "Limburg"

    who = core.run_line(partner, "/chemclust who")
    limburg = next(
        f for p in who.parts if isinstance(p, Fields) for f in p.items if f.label == "Limburg"
    )
    assert UserRef(partner.user_id, "partner") in limburg.value
    others = [
        f for p in who.parts if isinstance(p, Fields) for f in p.items if f.label != "Limburg"
    ]
    assert all(plain(f.value) == "no one yet" for f in others)


def test_joining_again_moves_the_person_and_says_so(core, partner, sessions):
    core.run_line(partner, "/chemclust join Limburg")
    reply = core.run_line(partner, "/chemclust join NRW")
    assert "North Rhine-Westphalia" in texts(reply)
    assert "(before: Limburg)" in texts(reply)
    assert member(sessions, partner.user_id).region.name == "North Rhine-Westphalia"


def test_join_unknown_region_writes_nothing_and_offers_buttons(core, partner, sessions):
    reply = core.run_line(partner, "/chemclust join Atlantis")
    assert reply.private
    assert "Atlantis" in texts(reply)
    assert member(sessions, partner.user_id) is None
    buttons = next(p for p in reply.parts if isinstance(p, Actions)).buttons
    joined = core.run_action(partner, buttons[0].action_id, buttons[0].value)
    assert f"You now represent {buttons[0].label}" in texts(joined)


def test_join_without_region_explains_usage(core, partner, sessions):
    reply = core.run_line(partner, "/chemclust join")
    assert reply.private
    assert "/chemclust join <region>" in texts(reply)
    assert member(sessions, partner.user_id) is None


def test_partner_cannot_name_coordinators(core, partner, sessions):
    reply = core.run_line(partner, "/chemclust coordinator add @someone", mentions=SOMEONE)
    assert reply.private
    assert "Only a coordinator" in texts(reply)
    assert member(sessions, "U777") is None


def test_coordinator_adds_and_removes_a_coordinator(core, coordinator, sessions):
    core.run_line(coordinator, "/chemclust coordinator add @someone", mentions=SOMEONE)
    assert member(sessions, "U777").role == "coordinator"
    core.run_line(coordinator, "/chemclust coordinator remove @someone", mentions=SOMEONE)
    assert member(sessions, "U777").role == "partner"


def test_coordinator_command_needs_a_person(core, coordinator):
    reply = core.run_line(coordinator, "/chemclust coordinator add")
    assert reply.private
    assert "mentioning them" in texts(reply)
    bad = core.run_line(coordinator, "/chemclust coordinator add @channel")
    assert "not a person" in texts(bad)


def test_coordinators_from_the_environment_are_recorded_on_first_contact(
    core, coordinator, sessions
):
    assert member(sessions, coordinator.user_id) is None
    core.run_line(coordinator, "/chemclust who")
    assert member(sessions, coordinator.user_id).role == "coordinator"


def test_help_lists_every_registered_command(core, partner):
    reply = core.run_line(partner, "/chemclust help")
    listed = texts(reply)
    for name in core.registry.commands:
        assert f"/{name}" in listed


def test_unknown_verb_and_unknown_command_are_explained(core, partner):
    assert "has no “dance”" in texts(core.run_line(partner, "/chemclust dance"))
    unknown = core.run_line(partner, "/frobnicate now")
    assert unknown.private
    assert "There is no command /frobnicate" in texts(unknown)


def test_usage_with_several_forms_is_one_code_piece_per_line(core, partner):
    from commands.reply import Code

    reply = core.run_line(partner, "/chemclust dance")
    usage = next(p for p in reply.parts if isinstance(p, Paragraph) and "Usage:" in plain(p.text))
    codes = [piece.text for piece in usage.text if isinstance(piece, Code)]
    assert codes == list(core.registry.commands["chemclust"].usage)
