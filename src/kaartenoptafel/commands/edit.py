"""`kot edit`: start the local web editor (see :mod:`kaartenoptafel.edit`) and open it in the browser.

The server listens on 127.0.0.1 only, on a free port unless ``--port`` says otherwise; its address carries
a random token made for this run (as Jupyter's does), so another local program or web page cannot use it.
Ctrl-C stops it (exit code 130); every save is atomic, so nothing is left half-written.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from kaartenoptafel.commands.preview import project_option, project_root, region_option
from kaartenoptafel.errors import EXIT_INTERRUPTED

MISSING = ("the editor needs a few extra packages; install them with\n"
           "  pip install 'kaartenoptafel[edit]'\n(from a source checkout: pip install -e '.[edit]')")


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        sock.close()
        raise click.UsageError(f"port {port} is in use or not allowed ({exc.strerror}); choose another with --port, "
                               "or leave --port out to get a free one") from None
    sock.listen(64)
    sock.setblocking(False)
    return sock


def make_server(root: Path, region: str | None, out_dir: Path, port: int = 0, token: str | None = None):
    """(uvicorn server, socket, url): everything `kot edit` starts, for the command and for tests."""
    try:
        import uvicorn

        from kaartenoptafel.edit.server import Editor, create_app
        from kaartenoptafel.edit.yamlio import Refused
    except ModuleNotFoundError as exc:
        raise click.ClickException(f"{MISSING}\n(missing: {exc.name})") from None
    try:
        editor = Editor(root, region, out_dir, token)
    except Refused as exc:
        raise click.UsageError(exc.message) from None
    sock = bind(port)
    actual = sock.getsockname()[1]
    editor.allow_port(actual)
    config = uvicorn.Config(create_app(editor), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    url = f"http://127.0.0.1:{actual}/?token={editor.token}"
    return server, sock, url


@click.command()
@project_option
@region_option
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one).")
@click.option("--no-browser", is_flag=True, help="Do not open the browser; just print the address.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="output", show_default=True,
              help="Where the page's 'Make PDFs' button writes (as kot build --out).")
def edit(project, region, port, no_browser, out_dir) -> None:
    """Edit the cards in your browser: a form per card, its printed preview as you type, tidy saves."""
    root = project_root(project)
    server, sock, url = make_server(root, region, Path(out_dir).resolve(), port)
    click.echo(f"kot edit: {url}")
    click.echo("Open that address in your browser. Press Ctrl-C to stop.")
    sys.stdout.flush()
    if not no_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if server.should_exit:  # uvicorn ends on Ctrl-C (SIGINT) or SIGTERM by setting should_exit
        click.echo("stopped; every save was complete", err=True)
        sys.exit(EXIT_INTERRUPTED)
