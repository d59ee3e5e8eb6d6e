"""Teams activities POSTed to /api/messages of the real web process, as Teams posts them."""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from commands import build_registry
from commands.context import Context
from commands.reply import Form, FormErrors, FormField, Paragraph, Reply, text
from storage.db import make_engine, make_session_factory
from storage.models import Member, SeenEvent, TeamsConversation, WorkingGroup, Workspace
from tests.bot.teams.conftest import messages_url
from tests.support.bot_server import start_bot
from tests.support.partners import PARTNER_REGIONS
from tests.support.teams import (
    BOT_ID,
    CHANNEL_CONVERSATION,
    PERSONAL_CONVERSATION,
    TENANT_ID,
    USER_AAD_ID,
    activity,
    card_text,
    cards,
    post_activity,
)


def replies(answer) -> list[dict]:
    assert answer.status == 200, answer.text
    return answer.json()["activities"]


def only_card(answer) -> dict:
    found = cards(replies(answer))
    assert len(found) == 1
    return found[0]


def facts(card: dict) -> dict[str, str]:
    return {
        fact["title"]: fact["value"]
        for element in card["body"]
        if element["type"] == "FactSet"
        for fact in element["facts"]
    }


def shown_text(element) -> list[str]:
    """Every string a card shows (texts, fact titles and values, button titles)."""
    if isinstance(element, list):
        return [t for item in element for t in shown_text(item)]
    if not isinstance(element, dict):
        return []
    found = [
        v for k, v in element.items() if k in {"text", "title", "value"} and isinstance(v, str)
    ]
    return found + [t for v in element.values() for t in shown_text(v)]


def health(url: str) -> dict:
    with urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
        return json.loads(answer.read())


def count(database_url: str, model, *where) -> int:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where))
    finally:
        engine.dispose()


# Done when: the mention, expectReplies, and an Adaptive Card that names Limburg with its figures.
def test_channel_mention_with_expect_replies_is_answered_with_limburgs_card(teams_bot, connector):
    body = activity("benchmark Limburg", service_url=connector.service_url, expect_replies=True)
    assert body["text"] == "<at>ChemClust</at> benchmark Limburg"

    card = only_card(post_activity(messages_url(teams_bot), body))

    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["body"][0]["text"] == "Limburg: benchmark 2012 update"
    figures = facts(card)
    assert re.fullmatch(r"\*\*\d+\.\d\*\* / 100", figures["Composite index"])
    assert figures["Rank"] == "**1 of 10** partner regions"
    assert figures["NUTS"] == "NL42"
    assert "Tertiary education" in figures
    assert "Illustrative sample figures" in card["body"][-1]["text"]
    assert connector.sent == []  # expectReplies: everything came back in the HTTP answer


def test_slash_or_not_in_a_personal_chat_replies_through_the_connector(teams_bot, connector):
    for line in ("/benchmark Limburg", "benchmark   Limburg"):
        body = activity(
            line,
            service_url=connector.service_url,
            conversation=PERSONAL_CONVERSATION,
            conversation_type="personal",
        )
        answer = post_activity(messages_url(teams_bot), body)
        assert answer.status == 202
    sent = connector.wait_for(2)
    for message in sent:
        assert message.path.startswith(f"/v3/conversations/{PERSONAL_CONVERSATION}/activities/")
        assert message.body["conversation"]["id"] == PERSONAL_CONVERSATION
        card = cards([message.body])[0]
        assert card["body"][0]["text"] == "Limburg: benchmark 2012 update"
    assert "authorization" not in sent[0].headers  # anonymous mode: a local stub only


def test_league_table_is_a_column_set_naming_every_partner(teams_bot, connector):
    body = activity("benchmark", service_url=connector.service_url, expect_replies=True)
    card = only_card(post_activity(messages_url(teams_bot), body))
    rows = [e for e in card["body"] if e["type"] == "ColumnSet"]
    assert len(rows) == 1 + len(PARTNER_REGIONS)  # header and one row per region
    shown = card_text(card)
    for region in PARTNER_REGIONS:
        assert region in shown


def test_a_bogus_token_gets_401_and_nothing_is_run(teams_bot, connector):
    body = activity("benchmark Limburg", service_url=connector.service_url)
    answer = post_activity(messages_url(teams_bot), body, token="bogus.token.value")
    assert answer.status == 401
    assert connector.sent == []
    assert count(teams_bot.runtime.settings.database_url, SeenEvent) == 0


# Done when: without TEAMS_ALLOW_ANONYMOUS the same request gets 401.
def test_without_anonymous_or_credentials_the_same_request_gets_401(slack_bot, connector):
    body = activity("benchmark Limburg", service_url=connector.service_url, expect_replies=True)
    answer = post_activity(messages_url(slack_bot), body)
    assert answer.status == 401
    assert connector.sent == []
    assert health(slack_bot.url)["platforms"] == {"slack": "http", "teams": "off"}


def test_with_credentials_an_unsigned_or_bogus_activity_gets_401(bot_settings, connector, caplog):
    settings = replace(
        bot_settings,
        teams_app_id="11111111-2222-3333-4444-555555555555",
        teams_app_password="not-a-real-client-secret",
        teams_tenant_id="99999999-8888-7777-6666-555555555555",
        scheduler_enabled=False,
    )
    running = start_bot(settings)
    try:
        body = activity("benchmark Limburg", service_url=connector.service_url)
        unsigned = post_activity(messages_url(running), body)
        bogus = post_activity(messages_url(running), body, token="bogus.token.value")
        assert (unsigned.status, bogus.status) == (401, 401)
        assert connector.sent == []
        assert health(running.url)["platforms"] == {"slack": "http", "teams": "on"}
        assert "not-a-real-client-secret" not in caplog.text
    finally:
        running.stop()


def test_health_says_teams_is_anonymous(teams_bot):
    assert health(teams_bot.url)["platforms"] == {"slack": "http", "teams": "anonymous"}


def test_a_retried_activity_is_processed_once(teams_bot, connector):
    body = activity("chemclust join Limburg", service_url=connector.service_url)
    first = post_activity(messages_url(teams_bot), body)
    retry = post_activity(messages_url(teams_bot), body)
    assert (first.status, retry.status) == (202, 202)
    assert len(connector.messages()) == 1
    url = teams_bot.runtime.settings.database_url
    assert count(url, SeenEvent, SeenEvent.platform == "teams") == 1

    again = activity("benchmark Limburg", service_url=connector.service_url, expect_replies=True)
    assert len(cards(replies(post_activity(messages_url(teams_bot), again)))) == 1
    assert replies(post_activity(messages_url(teams_bot), again)) == []


def test_a_channel_message_that_does_not_mention_the_bot_is_left_alone(teams_bot, connector):
    body = activity(
        "benchmark Limburg", service_url=connector.service_url, mention=False, expect_replies=True
    )
    assert replies(post_activity(messages_url(teams_bot), body)) == []


def test_just_the_mention_gets_the_help(teams_bot, connector):
    body = activity("", service_url=connector.service_url, expect_replies=True)
    card = only_card(post_activity(messages_url(teams_bot), body))
    assert card["body"][0]["text"] == "ChemClust bot: commands"


def test_join_in_teams_maps_the_aad_user_to_a_member(teams_bot, connector):
    body = activity(
        "chemclust join Limburgg", service_url=connector.service_url, expect_replies=True
    )
    card = only_card(post_activity(messages_url(teams_bot), body))
    assert "You now represent **Limburg**" in card_text(card)
    engine = make_engine(teams_bot.runtime.settings.database_url)
    with make_session_factory(engine)() as session:
        member = session.scalar(select(Member).where(Member.platform == "teams"))
        assert member.platform_user_id == USER_AAD_ID
        assert member.display_name == "Ada Lovelace"
        assert member.region.name == "Limburg"
    engine.dispose()

    who = activity("chemclust who", service_url=connector.service_url, expect_replies=True)
    assert "Ada Lovelace" in card_text(only_card(post_activity(messages_url(teams_bot), who)))


def test_a_tenant_mapped_to_another_group_works_in_that_group(teams_bot, connector):
    engine = make_engine(teams_bot.runtime.settings.database_url)
    with make_session_factory(engine).begin() as session:
        group = WorkingGroup(slug="other", name="Other working group")
        session.add(group)
        session.flush()
        session.add(Workspace(platform="teams", external_id="tenant-other", group_id=group.id))
        group_id = group.id
    body = activity(
        "chemclust who",
        service_url=connector.service_url,
        tenant="tenant-other",
        conversation="19:other@thread.tacv2",
        expect_replies=True,
    )
    card = only_card(post_activity(messages_url(teams_bot), body))
    assert card["body"][0]["text"] == "Who is who in the Other working group"
    with make_session_factory(engine)() as session:
        saved = session.get(TeamsConversation, "19:other@thread.tacv2")
        assert (saved.group_id, saved.tenant_id) == (group_id, "tenant-other")
    engine.dispose()


def test_conversation_references_are_stored_when_addressed_and_installed(teams_bot, connector):
    installed = activity(
        service_url=connector.service_url,
        kind="conversationUpdate",
        conversation=PERSONAL_CONVERSATION,
        conversation_type="personal",
        membersAdded=[{"id": BOT_ID}],
    )
    assert post_activity(messages_url(teams_bot), installed).status == 202
    welcome = card_text(cards([connector.wait_for(1)[0].body])[0])
    # Installed by one person for themselves: the group's welcome, with its buttons.
    assert "Hello, I am the bot of the ChemClust" in welcome
    assert '"value": "benchmark"' in welcome

    post_activity(
        messages_url(teams_bot),
        activity("benchmark", service_url=connector.service_url, expect_replies=True),
    )
    engine = make_engine(teams_bot.runtime.settings.database_url)
    with make_session_factory(engine)() as session:
        personal = session.get(TeamsConversation, PERSONAL_CONVERSATION)
        channel = session.get(TeamsConversation, CHANNEL_CONVERSATION)
    engine.dispose()
    assert personal.personal_user_id == USER_AAD_ID
    assert personal.conversation_type == "personal"
    assert channel.personal_user_id is None
    assert (channel.tenant_id, channel.service_url) == (TENANT_ID, connector.service_url)
    assert channel.reference["conversation"]["id"] == CHANNEL_CONVERSATION
    assert channel.reference["bot"]["id"] == BOT_ID
    assert channel.reference["serviceUrl"] == connector.service_url


def test_buttons_are_submit_actions_handled_by_the_same_actions(teams_bot, connector):
    body = activity("benchmark Atlantis", service_url=connector.service_url, expect_replies=True)
    card = only_card(post_activity(messages_url(teams_bot), body))
    action = next(e for e in card["body"] if e["type"] == "ActionSet")["actions"][0]
    assert action["type"] == "Action.Submit"
    assert set(action["data"]) == {"action_id", "value"}

    click = activity(service_url=connector.service_url, value=action["data"], expect_replies=True)
    profile = only_card(post_activity(messages_url(teams_bot), click))
    assert profile["body"][0]["text"] == f"{action['title']}: benchmark 2012 update"


def test_hostile_text_is_echoed_escaped(teams_bot, connector):
    hostile = (
        "**loud** [click](https://evil.example) <at>Everyone</at> {{DATE(2026-01-01T00:00:00Z)}}"
    )
    body = activity(f"benchmark {hostile}", service_url=connector.service_url, expect_replies=True)
    shown = "\n".join(shown_text(only_card(post_activity(messages_url(teams_bot), body))))
    assert "\\*\\*loud\\*\\*" in shown
    assert "\\[click\\](https://evil.example)" in shown
    # A mention reaches commands as plain "@name" text: no markup to echo, nobody pinged.
    assert "@Everyone" in shown
    assert "<at>" not in shown
    assert "{{DATE" not in shown
    assert "**loud**" not in shown


def test_a_crash_gives_an_error_id_not_a_500(teams_bot, connector, monkeypatch, caplog):
    def explode(ctx, **_):  # the command passes its session
        raise RuntimeError("database on fire")

    monkeypatch.setattr("commands.benchmark.command.load", explode)
    body = activity("benchmark Limburg", service_url=connector.service_url, expect_replies=True)
    shown = card_text(only_card(post_activity(messages_url(teams_bot), body)))
    error_id = re.search(r"error id ([0-9a-f]{8})", shown).group(1)
    assert "database on fire" not in shown
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)


# Forms: a command that asks for a form, and a handler that checks what comes back.
def _survey(ctx: Context, arguments: str) -> Reply:
    return Reply(
        form=Form(
            form_id="survey",
            title="Pilot survey",
            state="pilot-7",
            fields=(
                FormField("name", "Your name"),
                FormField("size", "Team size", kind="select", options=(("s", "Small"),)),
            ),
        )
    )


def _survey_submitted(ctx: Context, values: dict[str, str], state: str) -> Reply:
    if not values.get("name", "").strip():
        raise FormErrors({"name": "Say who you are."})
    return Reply(parts=(Paragraph(text(f"Thanks {values['name']} ({state}, {values['size']})")),))


@pytest.fixture
def survey_bot(teams_settings):
    registry = build_registry()
    registry.add_command("survey", _survey, summary="a test form", usage=("/survey",))
    registry.add_form("survey", _survey_submitted)
    running = start_bot(teams_settings, registry=registry)
    yield running
    running.stop()


def test_forms_are_cards_whose_errors_come_back_next_to_the_fields(survey_bot, connector):
    url = messages_url(survey_bot)
    form = only_card(
        post_activity(
            url, activity("survey", service_url=connector.service_url, expect_replies=True)
        )
    )
    inputs = {e["id"]: e for e in form["body"] if e["type"].startswith("Input.")}
    assert inputs["field:name"]["type"] == "Input.Text"
    assert inputs["field:size"]["choices"] == [{"title": "Small", "value": "s"}]
    submit = form["actions"][0]

    empty = {**submit["data"], "field:name": " ", "field:size": "s"}
    again = only_card(
        post_activity(
            url, activity(service_url=connector.service_url, value=empty, expect_replies=True)
        )
    )
    texts = [e.get("text") for e in again["body"]]
    assert texts[texts.index("Your name") + 2] == "Say who you are."
    assert again["body"][texts.index("Your name") + 1]["id"] == "field:name"

    filled = {**submit["data"], "field:name": "Ada", "field:size": "s"}
    done = only_card(
        post_activity(
            url, activity(service_url=connector.service_url, value=filled, expect_replies=True)
        )
    )
    assert "Thanks Ada (pilot-7, s)" in card_text(done)
