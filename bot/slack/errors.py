"""The one place unexpected errors in Slack listeners end up: logged, with an id to quote."""

from __future__ import annotations

import json
import logging
import uuid

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse

from commands.failures import DATABASE_UNAVAILABLE
from storage.db import database_unreachable, outage_reason

log = logging.getLogger(__name__)


def apology(error_id: str) -> str:
    return (
        f"Sorry, something went wrong on our side. The coordinators can look it up "
        f"with error id `{error_id}`."
    )


def register(app: AsyncApp) -> None:
    @app.error
    async def on_error(
        error: Exception, response: BoltResponse | None, respond: AsyncRespond | None
    ) -> BoltResponse | None:
        if database_unreachable(error):
            # Outside the command core (e.g. a lookup after a form): no bug, no error id.
            log.warning("database unavailable in a Slack listener: %s", outage_reason(error))
            error_id, said = "", DATABASE_UNAVAILABLE
        else:
            error_id = uuid.uuid4().hex[:8]
            log.error("error %s in a Slack listener", error_id, exc_info=error)
            said = apology(error_id)
        body = {"response_type": "ephemeral", "text": said}
        if response is not None:
            # Not yet acknowledged: the apology is the acknowledgement, never an HTTP 500.
            return BoltResponse(
                status=200,
                body=json.dumps(body),
                headers={"content-type": "application/json;charset=utf-8"},
            )
        if respond is not None:
            try:
                await respond(**body)
            except Exception:
                log.exception("could not tell the user: %s", said)
        return None
