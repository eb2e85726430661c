"""A small headless-Chromium driver over the DevTools protocol (no chromedriver needed).

Used by the real-browser tests, the map benchmark and the screenshot script. It starts
Debian's ``chromium`` with the network cut off (every host resolves to nothing and every
http/https/ws request is blocked through ``Network.setBlockedURLs``), and records what a user
would call a broken page: uncaught exceptions, console errors, failed requests and any
``alert()``/``confirm()`` dialog (which is auto-dismissed, so an injected ``alert(1)`` shows up
as a recorded dialog instead of hanging the page).

Needs ``websocket-client`` (installed with selenium) and a Chromium binary: ``$GEOEVENTS_CHROMIUM``,
else ``chromium``, ``chromium-browser``, ``google-chrome`` on ``PATH``.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from geoevents.errors import MissingDependency

__all__ = ["Chromium", "find_chromium"]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary, or None."""
    env = os.environ.get("GEOEVENTS_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """Headless Chromium with one page, driven over CDP; use as a context manager.

    Attributes
    ----------
    errors : list of str
        Uncaught exceptions, console errors and SEVERE log entries, in order.
    failed_requests : list of str
        URLs that failed or were blocked (offline mode blocks every network URL).
    dialogs : list of str
        Messages of JavaScript dialogs that opened (all dismissed).

    """

    def __init__(
        self,
        binary: str | None = None,
        *,
        width: int = 1280,
        height: int = 800,
        offline: bool = True,
        timeout: float = 30.0,
    ) -> None:
        self.binary = binary or find_chromium()
        self.width, self.height, self.offline, self.timeout = width, height, offline, timeout
        self.errors: list[str] = []
        self.failed_requests: list[str] = []
        self.dialogs: list[str] = []
        self._requests: dict[str, str] = {}
        self._events: list[dict[str, Any]] = []
        self._next_id = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._ws: Any = None
        self._profile: str | None = None

    # -- life cycle ---------------------------------------------------------------------------
    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Launch the browser and attach to its first page."""
        try:
            import websocket
        except ImportError as err:
            raise MissingDependency(
                "Driving Chromium needs 'websocket-client': pip install websocket-client"
            ) from err
        if not self.binary:
            raise MissingDependency(
                "No Chromium found; install Debian's 'chromium' or set GEOEVENTS_CHROMIUM"
            )
        self._profile = tempfile.mkdtemp(prefix="geoevents-chromium-")
        args = [
            self.binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            f"--user-data-dir={self._profile}",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--allow-file-access-from-files",
            "--hide-scrollbars",
            "--mute-audio",
            f"--window-size={self.width},{self.height}",
        ]
        if self.offline:
            args.append("--host-resolver-rules=MAP * ~NOTFOUND")
        args.append("about:blank")
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while not port_file.exists() or not port_file.read_text().strip():
            if self._proc.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"Chromium ({self.binary}) did not start its DevTools endpoint")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        page_ws = None
        while page_ws is None:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/json/list", timeout=5
            ) as resp:  # loopback only
                targets = json.load(resp)
            page_ws = next((t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page"), None)
            if page_ws is None:
                if time.monotonic() > deadline:
                    raise RuntimeError("Chromium started without a page target")
                time.sleep(0.05)
        self._ws = websocket.create_connection(page_ws, timeout=self.timeout, suppress_origin=True)
        for method in ("Runtime.enable", "Log.enable", "Page.enable", "Network.enable"):
            self.send(method)
        if self.offline:
            self.send(
                "Network.setBlockedURLs", urls=["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]
            )
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def close(self) -> None:
        """Stop the browser and remove its temporary profile."""
        if self._ws is not None:
            try:
                self._ws.close()
            except Exception:
                pass
            self._ws = None
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    # -- protocol -----------------------------------------------------------------------------
    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one CDP command and return its result (events that arrive meanwhile are recorded)."""
        self._next_id += 1
        msg_id = self._next_id
        self._ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self._ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"CDP {method} failed: {msg['error']}")
                result: dict[str, Any] = msg.get("result", {})
                return result
            if "method" in msg:
                self._on_event(msg)

    def _on_event(self, msg: dict[str, Any]) -> None:
        method, params = msg["method"], msg.get("params", {})
        self._events.append(msg)
        if method == "Runtime.exceptionThrown":
            det = params.get("exceptionDetails", {})
            exc = det.get("exception", {})
            self.errors.append(
                f"exception: {det.get('text', '')} {exc.get('description', exc.get('value', ''))}"
            )
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.errors.append(
                "console: "
                + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"log: {entry.get('text', '')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            self._requests[params["requestId"]] = params.get("request", {}).get("url", "")
        elif method == "Network.loadingFailed":
            url = self._requests.get(params.get("requestId", ""), "?")
            self.failed_requests.append(
                f"{url} {params.get('errorText', '')} {params.get('blockedReason', '')}"
            )
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self._ws.send(
                json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog", "params": {"accept": False}})
            )

    def _pump(self, seconds: float) -> None:
        """Read events for ``seconds`` (lets the page run while we listen)."""
        end = time.monotonic() + seconds
        self._ws.settimeout(0.05)
        try:
            while time.monotonic() < end:
                try:
                    msg = json.loads(self._ws.recv())
                except Exception:
                    continue
                if "method" in msg:
                    self._on_event(msg)
        finally:
            self._ws.settimeout(self.timeout)

    # -- page ---------------------------------------------------------------------------------
    def open(self, url: str, *, wait_for: str | None = None, timeout: float | None = None) -> float:
        """Navigate and wait for the load event (and ``wait_for``, a JS expression, to be truthy).

        Returns seconds from navigation to readiness.
        """
        timeout = timeout or self.timeout
        start = time.monotonic()
        n_before = len(self._events)
        self.send("Page.navigate", url=url)
        while not any(e["method"] == "Page.loadEventFired" for e in self._events[n_before:]):
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{url} did not finish loading in {timeout:.0f} s")
            self._pump(0.05)
        if wait_for:
            while not self.evaluate(f"!!({wait_for})"):
                if self.errors:
                    raise RuntimeError(f"{url} raised errors before {wait_for!r}: {self.errors[:3]}")
                if time.monotonic() - start > timeout:
                    raise TimeoutError(f"{wait_for!r} still false {timeout:.0f} s after opening {url}")
                self._pump(0.05)
        return time.monotonic() - start

    def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        """Evaluate JS in the page and return its JSON value (exceptions raise RuntimeError)."""
        res = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=await_promise
        )
        if "exceptionDetails" in res:
            det = res["exceptionDetails"]
            raise RuntimeError(
                f"JS error in {expression[:80]!r}: "
                f"{det.get('exception', {}).get('description', det.get('text'))}"
            )
        return res.get("result", {}).get("value")

    def wait(self, seconds: float) -> None:
        """Let the page run (timers, animations) while events are recorded."""
        self._pump(seconds)

    def screenshot(self, path: str | os.PathLike[str]) -> Path:
        """Save a PNG of the viewport."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path
