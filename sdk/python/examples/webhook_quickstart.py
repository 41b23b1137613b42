"""From a key to a verified webhook: start a receiver, register it, cause an event, verify it.

    REELHOUSE_URL=http://127.0.0.1:8000 REELHOUSE_API_KEY=rh_live_… python webhook_quickstart.py

The server must allow webhooks to this machine (``REELHOUSE_WEBHOOKS_ALLOW_PRIVATE_URLS=true``,
as in the README's quick start).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from reelhouse import Reelhouse, verify_webhook

deliveries: queue.Queue[tuple[bytes, dict[str, str]]] = queue.Queue()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        deliveries.put((body, dict(self.headers.items())))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


def main() -> None:
    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_port}/hook"

    with Reelhouse(os.environ["REELHOUSE_URL"], os.environ["REELHOUSE_API_KEY"]) as client:
        endpoint = client.webhook_endpoints.create(url=hook_url, event_types=["project.created"])
        secret = endpoint["secret"]  # shown only now: store it
        slug = f"quickstart-{int(time.time())}"
        project = client.projects.create(slug=slug, name="Quick start")
        print("created", project.id)
        for item in client.projects.list(limit=10):  # every page, fetched as needed
            print(" -", item.slug)

        body, headers = deliveries.get(timeout=30)
        event = verify_webhook(body, headers, secret)
        print("verified webhook", headers["webhook-id"], event["type"], event["data"]["id"])
        client.webhook_endpoints.delete(id=endpoint["id"])
    receiver.shutdown()


if __name__ == "__main__":
    main()
