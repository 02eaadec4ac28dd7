"""Serving the page: bind address, optional login, queue limits, and nothing fetched from elsewhere.

Defaults are private: 127.0.0.1:7860, no share link, no analytics. With logins configured, Gradio's
login guards every page and API route; a small middleware also answers an unauthenticated request
for the page itself with status 401 and strips the API description Gradio would otherwise embed in
that login page, so nothing about the app is readable before logging in.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable, MutableMapping, Sequence

from newsqa.settings import Settings, configure_offline_environment

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860

Credentials = list[tuple[str, str]]


class AuthError(ValueError):
    """Malformed --auth / --auth-file input."""


def parse_auth(pairs: Sequence[str] = (), auth_file: str | Path | None = None) -> Credentials:
    """user:password pairs from the command line and from a file (one per line; '#' comments and
    blank lines ignored). The password is everything after the first ':'."""
    lines: list[tuple[str, str]] = [(f"--auth #{i + 1}", p) for i, p in enumerate(pairs)]
    if auth_file:
        path = Path(auth_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise AuthError(f"cannot read the auth file {path}: {e.strerror or e}") from e
        for n, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append((f"{path}:{n}", line))
    creds: Credentials = []
    for where, value in lines:
        user, sep, password = value.partition(":")
        user = user.strip()
        if not sep or not user or not password:
            raise AuthError(f"{where}: expected user:password")
        creds.append((user, password))
    return creds


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_API_INFO = re.compile(rb"window\.gradio_api_info\s*=\s*.*?;\s*</script>", re.S)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class LoginWall:
    """ASGI middleware used only when logins are on: the page at "/" answers 401 until logged in.

    Gradio serves its login form from "/"; that form still works (the browser renders a 401 page's
    HTML), but the response no longer carries the API description, and a client sees a refusal.
    """

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD") or \
                scope.get("path", "").rstrip("/") != "" or self._logged_in(scope):
            await self.app(scope, receive, send)
            return
        start: MutableMapping[str, Any] = {}
        body = bytearray()

        async def capture(message: MutableMapping[str, Any]) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = dict(message)
                return
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                data = _API_INFO.sub(b"window.gradio_api_info = null;</script>", bytes(body))
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(data)).encode()))
                status = start.get("status", 200)
                await send({**start, "status": 401 if status == 200 else status, "headers": headers})
                await send({"type": "http.response.body", "body": data if scope["method"] == "GET" else b""})
                return
            await send(message)

        await self.app(scope, receive, capture)

    @staticmethod
    def _logged_in(scope: Scope) -> bool:
        app = scope.get("app")
        tokens = getattr(app, "tokens", None)
        cookie_id = getattr(app, "cookie_id", None)
        if tokens is None or cookie_id is None:
            return False
        cookies: dict[str, str] = {}
        for k, v in scope.get("headers", []):
            if k.lower() == b"cookie":
                for part in v.decode("latin-1").split(";"):
                    name, _, value = part.strip().partition("=")
                    cookies[name] = value
        token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
        return bool(token) and tokens.get(token) is not None


def launch(app: Any, settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
           share: bool = False, auth: Credentials | None = None, prevent_thread_lock: bool = False,
           quiet: bool = False) -> Any:
    """Start serving a `build_app` page; returns what `Blocks.launch` returns."""
    configure_offline_environment()
    from starlette.middleware import Middleware

    from newsqa.ui.style import launch_options

    app_kwargs: dict[str, Any] = {}
    if auth:
        app_kwargs["middleware"] = [Middleware(LoginWall)]
    return app.launch(
        server_name=host, server_port=port, share=share, auth=list(auth) if auth else None,
        auth_message="Log in to use newsqa." if auth else None,
        max_file_size=settings.max_file_bytes, prevent_thread_lock=prevent_thread_lock, quiet=quiet,
        show_error=False, ssr_mode=False, pwa=False, mcp_server=False, run_history=False,
        footer_links=["api", "settings"], app_kwargs=app_kwargs, **launch_options(),
    )


def serve(settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, share: bool = False,
          auth: Credentials | None = None, qa: Any = None, prevent_thread_lock: bool = False) -> Any:
    """Build the QA (unless given) and the page, then serve it (blocking unless prevent_thread_lock)."""
    configure_offline_environment()
    from newsqa.rag.qa import build_qa
    from newsqa.ui.app import build_app

    if not auth and (share or not is_loopback(host)):
        where = "a public share link" if share else f"{host}:{port}"
        print(f"newsqa: warning: serving on {where} without --auth: anyone who can reach it can read "
              f"and change the library", file=sys.stderr)
    qa = qa or build_qa(settings)
    app = build_app(qa, settings)
    launch(app, settings, host=host, port=port, share=share, auth=auth, prevent_thread_lock=True, quiet=True)
    print(f"newsqa: serving on {app.local_url}" + (" (login required)" if auth else "")
          + (f" and {app.share_url}" if share and app.share_url else "") + "; Ctrl-C stops", flush=True)
    if not prevent_thread_lock:
        app.block_thread()
    return app
