"""What the local console can do for a command, as the facts commands read from their context."""

from __future__ import annotations

from commands.surface import Surface

# Whoever runs the console reads every line it prints: reminders set up there are printed
# in its own window (the "console" conversation), and files are saved to the output folder.
# It knows no person's time zone, so times without a zone are read in the group's.
CONSOLE_SURFACE = Surface(own_timezone="", home_channel="console")
