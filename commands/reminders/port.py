"""The sending port moved to ``commands.port`` (public: platforms implement it); this name
stays for the reminder and digest modules that import it from here."""

from commands.port import (
    CannotTell,
    Lookup,
    Mark,
    NotFound,
    Outcome,
    RetryLater,
    Sender,
    Sent,
    Target,
    Undeliverable,
)

__all__ = [
    "CannotTell",
    "Lookup",
    "Mark",
    "NotFound",
    "Outcome",
    "RetryLater",
    "Sender",
    "Sent",
    "Target",
    "Undeliverable",
]
