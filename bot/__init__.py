"""Adapters and process wiring: Slack, Teams, console, web server, CLI. Knows no SQL."""
