"""The editor's web app (Starlette): pages from Jinja2 templates, a small JSON API for the page's script.

Security, for a server that can write the user's files: it listens on 127.0.0.1 only; every request must
name this server in its ``Host`` header (a web page elsewhere cannot reach it through DNS rebinding) and
carry the per-run token (in the URL once, then in a same-site cookie); every request that changes
something must also send the token in the ``X-Kot-Token`` header and come from this server's own origin.
Anything else gets 403.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kaartenoptafel.edit import drafts, edits
from kaartenoptafel.edit.builder import Builds
from kaartenoptafel.edit.messages import Messages
from kaartenoptafel.edit.workspace import Entry, Workspace
from kaartenoptafel.edit.yamlio import Conflict, Refused

HERE = Path(__file__).parent
FONT_DIR = HERE.parent / "fonts"  # the cards' own font (Atkinson Hyperlegible Next) serves the page too
BASE = "-"  # the region parameter's value for the base kit


class Editor:
    """The state behind the app: one workspace per variant, loaded when first asked for."""

    def __init__(self, root: Path, region: str | None, out_dir: Path, token: str | None = None):
        self.root = root
        self.default_region = region
        self.out_dir = out_dir
        self.token = token or secrets.token_urlsafe(24)
        self.hosts: set[str] = set()
        self.origins: set[str] = set()
        self._spaces: dict[str | None, Workspace] = {}
        self._lock = threading.Lock()
        self.builds = Builds(root, out_dir)
        if region is not None:
            from kaartenoptafel.resolve.overlay import list_regions

            if region not in list_regions(root):
                raise Refused(f"region '{region}' not found in cards/regions/", "gone")

    def allow_port(self, port: int) -> None:
        for host in ("127.0.0.1", "localhost"):
            self.hosts.add(f"{host}:{port}")
            self.origins.add(f"http://{host}:{port}")

    def workspace(self, region: str | None) -> Workspace:
        with self._lock:
            if region not in self._spaces:
                self._spaces[region] = Workspace(self.root, region)
            ws = self._spaces[region]
        ws.refresh()
        return ws

    def region_of(self, request: Request, body: dict | None = None) -> str | None:
        value = (body or {}).get("region", request.query_params.get("region"))
        if value is None:
            return self.default_region
        if value in ("", BASE):
            return None
        from kaartenoptafel.resolve.overlay import list_regions

        if value not in list_regions(self.root):
            raise Refused(f"region '{value}' not found", "gone")
        return value


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env


ENV = _env()


# -- security ---------------------------------------------------------------------------------------------

def _cookie(editor: Editor, request: Request) -> str:
    return f"kot_token_{request.url.port or 0}"


class Guard:
    """ASGI middleware: Host, token and (for changes) token header and Origin; 403 otherwise."""

    def __init__(self, app, editor: Editor):
        self.app = app
        self.editor = editor

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        problem = self.check(request)
        if problem:
            await PlainTextResponse(f"403 forbidden: {problem}", status_code=403)(scope, receive, send)
            return
        query_token = request.query_params.get("token")
        if query_token and request.method == "GET":
            cookie = _cookie(self.editor, request)

            async def send_with_cookie(message):
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    value = f"{cookie}={self.editor.token}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", value.encode("latin-1")))
                    message = dict(message, headers=headers)
                await send(message)

            await self.app(scope, receive, send_with_cookie)
            return
        await self.app(scope, receive, send)

    def check(self, request: Request) -> str | None:
        editor = self.editor
        host = request.headers.get("host", "")
        if host not in editor.hosts:
            return "this server answers only to its own address (Host header)"
        given = (request.query_params.get("token") or request.headers.get("x-kot-token")
                 or request.cookies.get(_cookie(editor, request)))
        if not given or not secrets.compare_digest(given, editor.token):
            return "the link needs its token: open the address that `kot edit` printed"
        if request.method not in ("GET", "HEAD"):
            header = request.headers.get("x-kot-token", "")
            if not secrets.compare_digest(header, editor.token):
                return "a change must send the token in its X-Kot-Token header"
            origin = request.headers.get("origin")
            if origin is not None and origin not in editor.origins:
                return "a change must come from the editor's own page (Origin)"
            site = request.headers.get("sec-fetch-site")
            if site is not None and site not in ("same-origin", "none"):
                return "a change must come from the editor's own page"
        return None


# -- pages ------------------------------------------------------------------------------------------------

def _page(editor: Editor, ws: Workspace, template: str, **extra) -> HTMLResponse:
    t = Messages(ws.language)
    context = dict(
        t=t, ws=ws, token=editor.token, region=ws.region, region_param=ws.region or BASE,
        regions=ws.regions(), problem=t.problem, game=ws.game, **extra,
    )
    html = ENV.get_template(template).render(**context)
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


def _field_view(ws: Workspace, entry: Entry, t: Messages) -> list[dict]:
    """What the form shows for each field, in the type's order, then count and tags."""
    ctype = ws.types[entry.type]
    data = entry.raw.data
    problems = entry.field_problems()
    views = []
    specs = list(ctype.fields.values())
    for spec in specs:
        view = dict(name=spec.name, kind=spec.kind, label=spec.label, required=spec.required, max=spec.max,
                    min=spec.min, max_items=spec.max_items, value=data.get(spec.name),
                    base=ws.base_value(entry.id, spec.name), options=None,
                    problems=[t.problem(d.message) for d in problems.get(spec.name, [])])
        if spec.kind == "choice":
            groups = ws.game.groups if ws.game else {}
            view["options"] = [(c, groups.get(c, c) if spec.choices == tuple(groups) else c) for c in spec.choices or ()]
        elif spec.kind == "ref":
            target = getattr(spec, "to", None)
            view["options"] = [(e.id, _title(ws, e)) for e in ws.entries.values() if target is None or e.type == target]
        elif spec.kind == "image":
            view["options"] = [(p, p) for p in ws.images()]
        labels = dict(view["options"] or ())
        view["base_shown"] = labels.get(view["base"], view["base"]) if isinstance(view["base"], str) else view["base"]
        views.append(view)
    for name, kind, label in (("count", "number", t("field_count")), ("tags", "tags", t("field_tags"))):
        views.append(dict(name=name, kind=kind, label=label, required=False, max=None, min=1 if name == "count" else None,
                          max_items=None, value=data.get(name), base=ws.base_value(entry.id, name), options=None,
                          base_shown=ws.base_value(entry.id, name),
                          problems=[t.problem(d.message) for d in problems.get(name, [])]))
    return views


def _title(ws: Workspace, entry: Entry) -> str:
    """The card's title as it prints: its variables filled in ("Taalhuis Middenstad", not "{taalhuis}")."""
    from kaartenoptafel.load.checks import fill

    ctype = ws.types.get(entry.type)
    value = entry.raw.data.get(ctype.title_field) if ctype else None
    if value in (None, ""):
        return entry.id
    return fill(str(value), ws.game.variables) if ws.game is not None else str(value)


async def index(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    ws = editor.workspace(editor.region_of(request))
    return _page(editor, ws, "index.html", entry=None, fields=[], title=_title, hashes={},
                 card_problems=[])


async def card_page(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    ws = editor.workspace(editor.region_of(request))
    entry = ws.entries.get(request.path_params["card_id"])
    if entry is None:
        return RedirectResponse(f"/?region={ws.region or BASE}", status_code=303)
    t = Messages(ws.language)
    fields = _field_view(ws, entry, t)
    card_problems = [t.problem(d.message) for d in entry.field_problems().get("", [])]
    return _page(editor, ws, "index.html", entry=entry, fields=fields, title=_title,
                 hashes=edits.hashes_for(ws, entry), card_problems=card_problems,
                 variables=ws.game.variables if ws.game else {})


async def variables_page(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    ws = editor.workspace(editor.region_of(request))
    base = edits.base_variables(ws)
    current = ws.game.variables if ws.game else {}
    own = {}
    if ws.region is not None:
        from kaartenoptafel.edit.yamlio import read_source

        try:
            src = read_source(ws.overlay_path(), ws.shown(ws.overlay_path()))
            own = (src.plain or {}).get("variables") or {}
        except Refused:
            own = {}
    rows = [dict(name=n, base=base.get(n, ""), value=own.get(n, base.get(n, "")) if ws.region else current.get(n, ""),
                 changed=n in own) for n in base]
    return _page(editor, ws, "variables.html", rows=rows, hashes=edits.hashes_for(ws, None))


async def build_page(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    ws = editor.workspace(editor.region_of(request))
    return _page(editor, ws, "build.html", last=editor.builds.last(ws.region))


async def thumb(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    ws = editor.workspace(editor.region_of(request))
    png = drafts.thumbnails(ws).get(request.path_params["card_id"])
    if png is None:
        return Response(status_code=404)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


# -- the API -----------------------------------------------------------------------------------------------

async def _body(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        data = None
    return data if isinstance(data, dict) else {}


def _draft_json(ws: Workspace, draft: drafts.Draft) -> dict:
    t = Messages(ws.language)
    return {
        "ok": draft.ok,
        "problems": {name: [t.problem(d.message) for d in ds] for name, ds in draft.problems.items() if name},
        "card_problems": [t.problem(d.message) for d in draft.problems.get("", [])],
        "lengths": draft.lengths,
        "front": drafts.data_url(draft.front),
        "back": drafts.data_url(draft.back),
    }


def _refused(ws: Workspace | None, exc: Refused) -> JSONResponse:
    t = Messages(ws.language if ws else "en")
    status = 409 if isinstance(exc, Conflict) else 422
    text = t("conflict", file=exc.shown) if isinstance(exc, Conflict) else exc.message
    return JSONResponse({"ok": False, "error": exc.key, "message": text}, status_code=status)


async def api_check(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    body = await _body(request)
    ws = editor.workspace(editor.region_of(request, body))
    entry = ws.entries.get(str(body.get("card")))
    if entry is None:
        return JSONResponse({"ok": False, "error": "gone"}, status_code=404)
    values = body.get("values") if isinstance(body.get("values"), dict) else {}
    draft = drafts.check(ws, entry, values)
    return JSONResponse(_draft_json(ws, draft))


async def api_save(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    body = await _body(request)
    ws = None
    try:
        ws = editor.workspace(editor.region_of(request, body))
        values = body.get("values") if isinstance(body.get("values"), dict) else {}
        draft = edits.save_card(ws, str(body.get("card")), values, body.get("hashes"))
    except Refused as exc:
        return _refused(ws, exc)
    result = _draft_json(ws, draft)
    entry = ws.entries.get(str(body.get("card")))
    result["hashes"] = edits.hashes_for(ws, entry)
    result["version"] = ws.version
    return JSONResponse(result, status_code=200 if draft.ok else 422)


async def api_new(request: Request) -> Response:
    return await _structural(request, lambda ws, b: {"card": edits.new_card(ws, str(b.get("type")), b.get("id") or None,
                                                                            b.get("hashes"))})


async def api_copy(request: Request) -> Response:
    return await _structural(request, lambda ws, b: {"card": edits.copy_card(ws, str(b.get("card")), str(b.get("id")),
                                                                             b.get("hashes"))})


async def api_delete(request: Request) -> Response:
    return await _structural(request, lambda ws, b: edits.delete_card(ws, str(b.get("card")), b.get("hashes")) or {})


async def api_variables(request: Request) -> Response:
    def run(ws, b):
        values = b.get("values") if isinstance(b.get("values"), dict) else {}
        edits.save_variables(ws, values, b.get("hashes"))
        return {"hashes": edits.hashes_for(ws, None)}

    return await _structural(request, run)


async def _structural(request: Request, action) -> Response:
    editor: Editor = request.app.state.editor
    body = await _body(request)
    ws = None
    try:
        ws = editor.workspace(editor.region_of(request, body))
        result = action(ws, body) or {}
    except Refused as exc:
        return _refused(ws, exc)
    return JSONResponse({"ok": True, "version": ws.version, **result})


async def api_version(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    ws = editor.workspace(editor.region_of(request))
    return JSONResponse({"version": ws.version})


async def api_build(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    body = await _body(request)
    region = editor.region_of(request, body)
    job = editor.builds.start(region)
    return JSONResponse({"ok": True, "job": job.id})


async def api_build_status(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    job = editor.builds.get(request.path_params["job"])
    if job is None:
        return JSONResponse({"ok": False}, status_code=404)
    ws = editor.workspace(job.region)
    t = Messages(ws.language)
    return JSONResponse(job.status(t))


async def download(request: Request) -> Response:
    editor: Editor = request.app.state.editor
    path = editor.builds.file(request.path_params["variant"], request.path_params["name"])
    if path is None:
        return PlainTextResponse("not found", status_code=404)
    media = "application/pdf" if path.suffix == ".pdf" else None
    inline = request.query_params.get("inline") == "1"
    return FileResponse(path, media_type=media, filename=None if inline else path.name,
                        content_disposition_type="inline" if inline else "attachment")


def create_app(editor: Editor) -> Starlette:
    routes = [
        Route("/", index),
        Route("/card/{card_id}", card_page),
        Route("/variables", variables_page),
        Route("/build", build_page),
        Route("/thumb/{card_id}.png", thumb),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/api/save", api_save, methods=["POST"]),
        Route("/api/new", api_new, methods=["POST"]),
        Route("/api/copy", api_copy, methods=["POST"]),
        Route("/api/delete", api_delete, methods=["POST"]),
        Route("/api/variables", api_variables, methods=["POST"]),
        Route("/api/version", api_version),
        Route("/api/build", api_build, methods=["POST"]),
        Route("/api/build/{job}", api_build_status),
        Route("/download/{variant}/{name}", download),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        Mount("/fonts", StaticFiles(directory=FONT_DIR), name="fonts"),
    ]
    app = Starlette(routes=routes)
    app.state.editor = editor
    app.add_middleware(Guard, editor=editor)
    return app


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


ENV.filters["text"] = value_text
