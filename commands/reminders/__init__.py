"""Reminders: which rows an event needs (``plan``), what they say (``messages``), and the
dispatcher that claims due rows and sends them through a platform's port (``dispatch``)."""
