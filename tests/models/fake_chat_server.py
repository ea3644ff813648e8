"""A real HTTP server on 127.0.0.1 that speaks chat-completions and fails the way Groq does.

Each model name gets a script of replies, consumed in order (the last one repeats):
  ok("text")                      200 with usage
  fail(400, code="model_decommissioned")   Groq-style JSON error body
  fail(429, headers={"retry-after": "1"})
  slow(seconds)                   sleeps before answering 200 (drives client timeouts)
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    content: str = "ok"
    code: str = ""
    message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    prompt_tokens: int = 11
    completion_tokens: int = 7


def ok(content: str = "ok", **kw) -> Reply:
    return Reply(content=content, **kw)


def fail(status: int, code: str = "", message: str = "", headers: dict | None = None) -> Reply:
    return Reply(
        status=status, code=code, message=message or f"fake error {status}", headers=headers or {}
    )


def slow(seconds: float, content: str = "late") -> Reply:
    return Reply(content=content, delay_s=seconds)


@dataclass
class Call:
    path: str
    model: str
    authorization: str
    body: dict
    at: float


class ChatServer:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = server._next(
                    Call(
                        self.path,
                        body.get("model", ""),
                        self.headers.get("authorization", ""),
                        body,
                        time.time(),
                    )
                )
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.status == 200:
                    payload = {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": reply.content},
                            }
                        ],
                        "usage": {
                            "prompt_tokens": reply.prompt_tokens,
                            "completion_tokens": reply.completion_tokens,
                            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                        },
                    }
                else:
                    payload = {
                        "error": {
                            "message": reply.message,
                            "type": "invalid_request_error",
                            "code": reply.code,
                        }
                    }
                data = json.dumps(payload).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.send_header("x-ratelimit-remaining-tokens", "5999")
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up, as intended

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _next(self, call: Call) -> Reply:
        with self._lock:
            self.calls.append(call)
            script = self.scripts.get(call.model) or [
                fail(404, "model_not_found", f"The model `{call.model}` does not exist")
            ]
            return script.pop(0) if len(script) > 1 else script[0]

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def models_called(self) -> list[str]:
        return [c.model for c in self.calls]

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
