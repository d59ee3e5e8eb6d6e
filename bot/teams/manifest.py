"""The Teams app package: manifest.json (schema 1.16) and the two icons, zipped.

Side-load the zip in Teams (Apps → Manage your apps → Upload an app) or hand it to the
tenant's Teams admin. The bot id is the Azure Bot's app id (TEAMS_APP_ID).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

from bot.teams.icons import ACCENT, color_icon, outline_icon
from commands.registry import Registry

MANIFEST_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.16/MicrosoftTeams.schema.json"
)
MANIFEST_VERSION = "1.16"
SCOPES = ("personal", "team", "groupChat")
# Schema 1.16: at most 10 commands per list, titles up to 32 and descriptions up to 128.
MAX_COMMANDS = 10
MAX_COMMAND_TITLE = 32
MAX_COMMAND_DESCRIPTION = 128
DEFAULT_WEBSITE = "https://chemclust.example.org"
JOIN_FORM = "chemclust join <region>"
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


class PackageError(ValueError):
    """The package cannot be built as asked; the message says why."""


def _package_version() -> str:
    try:
        return version("chemclust-bot")
    except PackageNotFoundError:
        return "0.1.0"


def command_list(registry: Registry) -> list[dict[str, str]]:
    """Every command once (name and summary), then further forms while there is room.

    Choosing a command in Teams only puts its title in the compose box, so titles are what a
    person types: ``benchmark``, ``chemclust join <region>``. Joining a region comes first
    among the forms (a Teams identity starts without one); the rest take turns, one form of
    each command at a time, so no command's variants crowd out the others'.
    """
    commands = sorted(registry.commands.values(), key=lambda c: c.name)
    listed = [
        {"title": c.name, "description": c.summary[:MAX_COMMAND_DESCRIPTION]} for c in commands
    ]
    forms = [[u.lstrip("/") for u in c.usage if u.lstrip("/") != c.name] for c in commands]
    candidates = (
        [(JOIN_FORM, registry.commands["chemclust"])] if "chemclust" in registry.commands else []
    )
    for depth in range(max(map(len, forms), default=0)):
        candidates += [
            (f[depth], c) for c, f in zip(commands, forms, strict=True) if depth < len(f)
        ]
    titles = {entry["title"] for entry in listed}
    for title, command in candidates:
        if len(listed) >= MAX_COMMANDS:
            break
        if title in titles or len(title) > MAX_COMMAND_TITLE:
            continue
        listed.append({"title": title, "description": command.summary[:MAX_COMMAND_DESCRIPTION]})
        titles.add(title)
    return listed


def manifest(app_id: str, registry: Registry, *, website: str = "") -> dict[str, Any]:
    if not _GUID.match(app_id or ""):
        raise PackageError(
            f"the bot id must be the Azure Bot's app id, a GUID like "
            f"00000000-0000-0000-0000-000000000000, not {app_id!r}: set TEAMS_APP_ID"
        )
    site = website or DEFAULT_WEBSITE
    if urlsplit(site).scheme != "https":
        raise PackageError(f"Teams wants an https:// website address, not {site!r} (PUBLIC_URL)")
    commands = command_list(registry)
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": _package_version(),
        "id": app_id,
        "developer": {
            "name": "ChemClust working group",
            "websiteUrl": site,
            "privacyUrl": site,
            "termsOfUseUrl": site,
        },
        "name": {"short": "ChemClust", "full": "ChemClust working group bot"},
        "description": {
            "short": "The ChemClust working group: benchmark, practices, deadlines, pilots.",
            "full": (
                "The ChemClust working group's bot: the joint benchmark of innovation in the "
                "partner regions' chemical clusters, the good-practice library, workshops and "
                "data deadlines with reminders, pilot-action updates and a weekly digest, and "
                "who represents which region. Write to it in a personal chat, or mention it in "
                "a channel: benchmark Limburg, practice training, deadline list, chemclust help."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#{:02X}{:02X}{:02X}".format(*ACCENT),
        "bots": [
            {
                "botId": app_id,
                "scopes": list(SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [{"scopes": [scope], "commands": commands} for scope in SCOPES],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [urlsplit(site).hostname],
    }


def package(app_id: str, registry: Registry, *, website: str = "") -> bytes:
    """The zip Teams side-loads: manifest.json, color.png and outline.png at its root."""
    content = json.dumps(manifest(app_id, registry, website=website), indent=2, ensure_ascii=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", content)
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return buffer.getvalue()
