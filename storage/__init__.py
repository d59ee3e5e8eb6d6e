"""Persistence: SQLAlchemy models, sessions, migrations, seed data, queries.

Knows no chat platform and never imports ``commands`` or ``bot``.
"""
