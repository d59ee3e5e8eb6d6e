"""Microsoft Teams adapter: Bot Framework activities in, Adaptive Cards out.

The Agents SDK is imported only by ``bot.teams.app`` (and the modules it loads), and only
when Teams is configured; rendering, identity and text handling here are plain Python.
"""
