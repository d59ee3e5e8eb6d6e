"""Slack's side of OAuth for the mock Web API: codes Slack would hand to the redirect, and
``oauth.v2.access`` trading one (once) for a workspace's bot token.

Each workspace gets a token of its own, so a test can tell from a call's ``Authorization``
header which workspace's token the bot used; ``auth.test`` answers with the token's team.
"""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret-abcdef"


@dataclass(frozen=True)
class Workspace:
    team_id: str
    team_name: str
    bot_token: str
    enterprise_id: str | None = None
    is_enterprise_install: bool = False


class OAuthSide:
    def __init__(self) -> None:
        self._codes: dict[str, Workspace] = {}
        self.by_token: dict[str, Workspace] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def code_for(self, workspace: Workspace) -> str:
        """A code as Slack gives the redirect after someone of ``workspace`` approved."""
        with self._lock:
            code = f"code-{next(self._numbers)}-{workspace.team_id}"
            self._codes[code] = workspace
            self.by_token[workspace.bot_token] = workspace
        return code

    def exchange(self, headers: dict[str, str], raw: bytes) -> dict[str, Any]:
        form = {k: v[0] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = headers.get("authorization", "")
        if basic.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return {"ok": False, "error": "invalid_client_id"}
        with self._lock:
            workspace = self._codes.pop(form.get("code", ""), None)
        if workspace is None:
            return {"ok": False, "error": "invalid_code"}
        return {
            "ok": True,
            "app_id": "A0001",
            "access_token": workspace.bot_token,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": "UBOT",
            "team": None
            if workspace.is_enterprise_install
            else {
                "id": workspace.team_id,
                "name": workspace.team_name,
            },
            "enterprise": {"id": workspace.enterprise_id} if workspace.enterprise_id else None,
            "is_enterprise_install": workspace.is_enterprise_install,
            "authed_user": {"id": "UINSTALLER"},
        }

    def team_of(self, token: str) -> Workspace | None:
        return self.by_token.get(token)
