"""A small Server-Sent Events client over asyncio streams, for the stream's tests and bench.

It speaks just enough HTTP/1.1 (a GET, chunked or close-delimited bodies) to hold thousands
of connections from one process, and remembers the last event id as EventSource does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The errors of a connection that went away.
_GONE = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


@dataclass
class Event:
    id: int | None
    event: str
    data: str

    def json(self) -> Any:
        return json.loads(self.data)


@dataclass
class SSEClient:
    host: str
    port: int
    cookie: str
    path: str = "/notifications/stream"
    last_event_id: int | None = None
    events: list[Event] = field(default_factory=list)
    on_event: Callable[[Event], None] | None = None
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    status: int = 0

    async def run_once(self) -> None:
        """One connection: read events until the server closes it."""
        reader, writer = await asyncio.open_connection(self.host, self.port, limit=2**20)
        try:
            headers = [
                f"GET {self.path} HTTP/1.1",
                f"Host: {self.host}:{self.port}",
                "Accept: text/event-stream",
                f"Cookie: {self.cookie}",
            ]
            if self.last_event_id is not None:
                headers.append(f"Last-Event-ID: {self.last_event_id}")
            writer.write(("\r\n".join(headers) + "\r\n\r\n").encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            self.status = int(lines[0].split()[1])
            chunked = any(
                line.lower().startswith("transfer-encoding:") and "chunked" in line.lower()
                for line in lines
            )
            if self.status != 200:
                raise ConnectionError(f"stream answered {self.status}")
            self.connected.set()
            buffer = b""
            async for data in _body(reader, chunked):
                buffer += data
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._block(block.decode())
        finally:
            self.connected.clear()
            writer.close()
            with contextlib.suppress(*_GONE):
                await writer.wait_closed()

    def _block(self, block: str) -> None:
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if not line or line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value
        if "data" not in fields:
            return
        event = Event(
            int(fields["id"]) if "id" in fields else None, fields.get("event", ""), fields["data"]
        )
        if event.id is not None:
            self.last_event_id = event.id
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)

    async def run_forever(self, retry: float = 0.2) -> None:
        """Reconnect as EventSource does, sending the last event id, until cancelled."""
        while True:
            with contextlib.suppress(*_GONE):
                await self.run_once()
            await asyncio.sleep(retry)


async def _body(reader: asyncio.StreamReader, chunked: bool) -> Any:
    if not chunked:
        while data := await reader.read(65536):
            yield data
        return
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return
        data = await reader.readexactly(size + 2)
        yield data[:-2]
