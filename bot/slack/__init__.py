"""Slack adapter: Bolt listeners that turn payloads into ``commands`` calls and render replies."""

from slack_bolt.app.async_app import AsyncApp

from commands.core import Core


def register(app: AsyncApp, core: Core) -> None:
    from bot.slack import actions, commands, errors, events, files, forms, home_tab
    from bot.slack.identity import ZoneCache

    zones = ZoneCache()  # people's time zones, shared by every listener of this app
    errors.register(app)
    # Bolt runs only the first listener that matches an event: this one takes nothing but
    # direct messages that share a file, so it goes before any broader message listener.
    files.register(app, core)
    commands.register(app, core, zones=zones)
    actions.register(app, core, zones=zones)
    events.register(app, core, zones=zones)
    forms.register(app, core, zones=zones)
    home_tab.register(app, core, zones=zones)
