"""SDK turn state that is never kept: everything the bot remembers lives in our database.

The AgentApplication insists on a Storage for conversation and user state. MemoryStorage
would grow with every conversation and differ between web processes; this one stores
nothing, so any process can handle any activity.
"""

from __future__ import annotations

from microsoft_agents.hosting.core import Storage, StoreItem


class NoStateStorage(Storage):
    async def read(self, keys: list[str], *, target_cls: type, **kwargs) -> dict[str, StoreItem]:
        return {}

    async def write(self, changes: dict[str, StoreItem]) -> None:
        return None

    async def delete(self, keys: list[str]) -> None:
        return None
