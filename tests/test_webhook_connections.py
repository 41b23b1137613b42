"""The webhook client's pool: the readability check that keeps a connection the receiver
closed from being reused, and a pooled connection reused while it stays open."""

from __future__ import annotations

import asyncio
import socket

import httpx

from app.events.connections import WebhookTransport, readable


def test_a_socket_is_readable_once_data_or_its_end_arrives() -> None:
    ours, theirs = socket.socketpair()
    try:
        assert not readable(ours)
        theirs.sendall(b"x")
        assert readable(ours)
        ours.recv(1)
        assert not readable(ours)
        theirs.close()
        assert readable(ours)
    finally:
        ours.close()
    assert readable(ours) and readable(None)


async def test_a_connection_closed_by_the_receiver_is_replaced() -> None:
    connections = 0

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                writer.close()
                return
            length = next(
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
            await writer.drain()
            if connections == 1:
                writer.transport.abort()
                return

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=1)
    try:
        async with httpx.AsyncClient(transport=WebhookTransport(limits)) as client:
            statuses = []
            for _ in range(3):
                response = await client.post(f"http://127.0.0.1:{port}/hook", content=b"{}")
                statuses.append(response.status_code)
                await asyncio.sleep(0.05)
    finally:
        server.close()
        await server.wait_closed()
    assert statuses == [204, 204, 204]
    assert connections == 2
