"""A real HTTP server on 127.0.0.1 that speaks chat-completions and fails the way Groq does.

Each model name gets a script of replies, consumed in order (the last one repeats):
  ok("text")                      200 with usage
  fail(400, code="model_decommissioned")   Groq-style JSON error body
  fail(429, headers={"retry-after": "1"})
  slow(seconds)                   sleeps before answering 200 (drives client timeouts)
  counted("text", max_tokens=N)   200 whose usage the server counts from the texts (about four
                                  characters a token), cut at the request's max_tokens with
                                  finish_reason "length", as a real server does
`responder(call) -> Reply | None` answers before the scripts (replays choose by request).
`tokens_served` adds up the usage the server reported, per model: what a provider would bill.
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
    finish_reason: str = "stop"
    counted: bool = False


def ok(content: str = "ok", **kw) -> Reply:
    return Reply(content=content, **kw)


def fail(status: int, code: str = "", message: str = "", headers: dict | None = None) -> Reply:
    return Reply(
        status=status, code=code, message=message or f"fake error {status}", headers=headers or {}
    )


def counted(content: str) -> Reply:
    return Reply(content=content, counted=True)


def tokens_of(text: str) -> int:
    return max(1, -(-len(text) // 4)) if text else 0


def settle(reply: Reply, body: dict) -> Reply:
    """Usage and truncation as a real server computes them for this request."""
    if not reply.counted:
        return reply
    prompt = sum(tokens_of(str(m.get("content", ""))) + 3 for m in body.get("messages", [])) + 3
    limit = body.get("max_tokens") or body.get("max_completion_tokens")
    content, finish = reply.content, "stop"
    if limit and tokens_of(content) > limit:
        content, finish = content[: limit * 4], "length"
    return Reply(
        content=content,
        prompt_tokens=prompt,
        completion_tokens=tokens_of(content),
        finish_reason=finish,
        headers=reply.headers,
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
        self.responder = None
        self.tokens_served: dict[str, int] = {}
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
                reply = settle(reply, body)
                if reply.status == 200:
                    server._bill(body.get("model", ""), reply)
                    payload = {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": reply.finish_reason,
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

    def _bill(self, model: str, reply: Reply) -> None:
        with self._lock:
            total = reply.prompt_tokens + reply.completion_tokens
            self.tokens_served[model] = self.tokens_served.get(model, 0) + total

    def _next(self, call: Call) -> Reply:
        with self._lock:
            self.calls.append(call)
            if self.responder is not None and (chosen := self.responder(call)) is not None:
                return chosen
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
