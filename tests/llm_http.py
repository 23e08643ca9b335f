"""A real OpenAI-compatible HTTP server on loopback that records every request.

For tests that start `reviewbot` as a subprocess (respx cannot reach into
another process). It answers each chat completion with `comments(request body)` (default: none).

    with RecordingLLM() as llm:
        env = {"REVIEWBOT_BASE_URL": llm.base_url, ...}
        ...
        assert llm.requests == []
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def system(self) -> str:
        """The system messages' content: what the model is told to do (the user message is fenced data)."""
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []) if m.get("role") == "system")


def _completion(model: str, comments: list[dict[str, Any]]) -> dict[str, Any]:
    content = json.dumps({"comments": comments, "notes": []})
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }  # fmt: skip


class RecordingLLM:
    def __init__(self, comments: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None) -> None:
        self.requests: list[Recorded] = []
        answer = comments or (lambda body: [])
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                owner.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                reply = json.dumps(_completion(body.get("model", "m"), answer(body) if body else [])).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
