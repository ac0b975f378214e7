"""Helpers for the `kot edit` tests: a live editor server on a copy of the kit, and Debian's Chromium.

On CI (``CI=true``) a missing browser or missing edit packages fail the tests instead of skipping them,
so the browser tests cannot silently stop running.
"""

from __future__ import annotations

import importlib
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KOT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def need(module: str):
    """Import ``module``, skipping the test when it is missing (failing on CI)."""
    if on_ci():
        return importlib.import_module(module)
    return pytest.importorskip(module)


@dataclass
class Live:
    root: Path
    base: str  # http://127.0.0.1:PORT
    token: str
    port: int
    server: object
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def page(self, path: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{self.base}{path}{joiner}token={self.token}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def copy_kit(root: Path) -> Path:
    for name in ("cards", "layouts"):
        shutil.copytree(REPO / name, root / name)
    return root


def start(root: Path, region: str | None = None) -> Live:
    need("starlette")
    need("uvicorn")
    from kaartenoptafel.commands.edit import make_server

    server, sock, url = make_server(root, region, root / "output")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = sock.getsockname()[1]
    token = url.split("token=")[1]
    return Live(root, f"http://127.0.0.1:{port}", token, port, server, thread)


def chromium(playwright):
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium; scripts/system-deps.sh does it)"
        if on_ci():
            pytest.fail(message)
        pytest.skip(message)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
