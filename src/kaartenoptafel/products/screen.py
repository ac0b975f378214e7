"""The facilitator screen: one self-contained HTML file that runs the session from a laptop and a projector.

One screen per round of ``guide:`` (cards/gids.yaml) with its title, goal and steps in large type, and a
countdown timer per round (start/pause, reset, previous/next; keys: space, arrows, Page Up/Down for presenter
clickers, R, F for full screen). It must open from a USB stick in any browser with no network, so everything is
inline: the CSS, the script and, when the layout's fonts are small, the regular and bold faces as base64 data.
Without the script the page still shows every round, one under the other. The bytes depend only on the input.
"""

from __future__ import annotations

import base64
import html
import re

from reportlab.pdfbase import pdfmetrics

from kaartenoptafel.build import Job, Product, register_product
from kaartenoptafel.errors import Collector
from kaartenoptafel.layout.text import typographic
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.guide import Guide, parse_guide
from kaartenoptafel.products.labels import label
from kaartenoptafel.write.atomic import write_bytes_atomic

FILE = "facilitator-screen.html"
KIND = "facilitator-screen"
MAX_FONT_BYTES = 120_000  # per face: larger fonts are left out and the browser's sans-serif is used
ACCENT = "#1f5f7a"

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", re.S)


def to_html(text: str) -> str:
    """``**bold**`` and ``*italic*`` to HTML, everything else escaped."""
    out = html.escape(str(text), quote=False)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _ITALIC.sub(r"<em>\1</em>", out).replace("\n", "<br>")


def _font_faces(job: Job) -> str:
    """@font-face rules with the layout's regular and bold faces inline, or '' when a face is too large."""
    rules = []
    for weight, name in (("400", job.ctx.family.regular), ("700", job.ctx.family.bold)):
        try:
            data = open(pdfmetrics.getFont(name).face.filename, "rb").read()
        except (OSError, AttributeError, KeyError):
            return ""
        if len(data) > MAX_FONT_BYTES:
            return ""
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(f"@font-face{{font-family:'Kit';font-weight:{weight};font-style:normal;"
                     f"src:url(data:font/ttf;base64,{encoded}) format('truetype');}}")
    return "\n".join(rules)


CSS = """
:root{--accent:%(accent)s;--ink:#1d1d1b;--muted:#4d4d4d;--paper:#ffffff;--tint:#e8f0f3;--late:#a4001d}
*{box-sizing:border-box}
html,body{margin:0;background:var(--paper);color:var(--ink);
 font-family:'Kit','Atkinson Hyperlegible Next','Atkinson Hyperlegible',system-ui,'Segoe UI',Arial,sans-serif}
header{display:flex;justify-content:space-between;align-items:center;padding:1.2vh 3vw;background:var(--accent);
 color:#fff;font-size:clamp(16px,2.2vw,34px);font-weight:700}
main{padding:2vh 3vw 0}
.round{display:grid;grid-template-columns:minmax(0,1fr) minmax(16em,30vw);gap:3vw;min-height:78vh}
.js .round[hidden]{display:none}
h1{font-size:calc(clamp(28px,5vw,84px)*var(--fit,1));line-height:1.1;margin:1vh 0 2vh;color:var(--accent)}
.label{font-size:clamp(14px,1.6vw,26px);font-weight:700;text-transform:uppercase;letter-spacing:.04em;
 color:var(--muted);margin:2vh 0 .5vh}
.goal{font-size:calc(clamp(18px,2.6vw,44px)*var(--fit,1));line-height:1.3;margin:0 0 1vh}
ol{font-size:calc(clamp(18px,2.4vw,40px)*var(--fit,1));line-height:1.3;margin:0;padding-left:1.4em}
li{margin:.35em 0}
.clock{align-self:start;background:var(--tint);border-radius:1.2vw;padding:2.5vh 2vw;text-align:center;
 position:sticky;top:2vh}
.minutes{font-size:clamp(14px,1.6vw,26px);color:var(--muted);font-weight:700}
.time{font-size:clamp(56px,8.5vw,170px);font-weight:700;font-variant-numeric:tabular-nums;line-height:1.1}
.late .time{color:var(--late)}
.up{font-size:clamp(16px,2vw,32px);font-weight:700;color:var(--late);min-height:1.3em}
.buttons{display:grid;grid-template-columns:1fr 1fr;gap:.6vw;margin-top:1.5vh}
button{font:inherit;font-size:clamp(14px,1.5vw,24px);font-weight:700;padding:.5em .9em;border-radius:.4em;
 border:2px solid var(--accent);background:#fff;color:var(--accent);cursor:pointer}
button.primary{background:var(--accent);color:#fff}
button:focus-visible{outline:4px solid var(--ink);outline-offset:2px}
footer{padding:1vh 3vw 2vh;color:var(--muted);font-size:clamp(12px,1.3vw,22px)}
.progress{display:flex;gap:4px;margin:1vh 3vw 0}
.progress span{flex:1;height:8px;border-radius:4px;background:var(--tint)}
.progress span.done{background:var(--accent)}
.progress span.now{background:var(--ink)}
.nojs-hide{display:none}
.js .nojs-hide{display:flex}
.js .buttons{display:grid}
"""

SCRIPT = """
(function(){
  document.documentElement.className='js';
  var rounds=[].slice.call(document.querySelectorAll('.round'));
  var bar=[].slice.call(document.querySelectorAll('.progress span'));
  var left=rounds.map(function(r){return parseInt(r.getAttribute('data-seconds'),10);});
  var now=0,running=false,last=0,tick=null;
  function fmt(s){var neg=s<0;s=Math.abs(s);var m=Math.floor(s/60),x=s%60;
    return (neg?'+':'')+m+':'+(x<10?'0':'')+x;}
  function paint(){
    rounds.forEach(function(r,i){r.hidden=(i!==now);});
    bar.forEach(function(b,i){b.className=i<now?'done':(i===now?'now':'');});
    var r=rounds[now],s=Math.ceil(left[now]);
    r.querySelector('.time').textContent=fmt(s>0?s:-Math.floor(-left[now]));
    r.querySelector('.clock').className='clock'+(left[now]<=0?' late':'');
    r.querySelector('.up').textContent=left[now]<=0?r.getAttribute('data-up'):'';
    var b=r.querySelector('.start');b.textContent=running?b.getAttribute('data-pause'):b.getAttribute('data-start');
    document.getElementById('where').textContent=r.getAttribute('data-where');
  }
  function show(){paint();fit();window.scrollTo(0,0);
    try{history.replaceState(null,'','#round-'+(now+1));}catch(e){}}
  function fit(){  // shrink a long round's text (to 60 %) until the page needs no scrolling
    var r=rounds[now],f=1,page=document.documentElement;
    r.style.setProperty('--fit','1');
    while(f>0.6&&page.scrollHeight>window.innerHeight+1){f-=0.05;r.style.setProperty('--fit',f.toFixed(2));}
  }
  function step(){var t=Date.now();left[now]-=(t-last)/1000;last=t;paint();}
  function start(){if(running){step();running=false;clearInterval(tick);}
    else{running=true;last=Date.now();tick=setInterval(step,250);}paint();}
  function stop(){if(running){step();running=false;clearInterval(tick);}}
  function go(d){var n=Math.max(0,Math.min(rounds.length-1,now+d));if(n===now)return;stop();now=n;show();}
  function reset(){stop();left[now]=parseInt(rounds[now].getAttribute('data-seconds'),10);paint();}
  function full(){var e=document.documentElement;
    if(!document.fullscreenElement){if(e.requestFullscreen)e.requestFullscreen();}
    else if(document.exitFullscreen)document.exitFullscreen();}
  document.addEventListener('click',function(e){var a=e.target.getAttribute&&e.target.getAttribute('data-do');
    if(a==='start')start();else if(a==='reset')reset();else if(a==='next')go(1);else if(a==='prev')go(-1);});
  document.addEventListener('keydown',function(e){
    if(e.altKey||e.ctrlKey||e.metaKey)return;
    var k=e.key;
    if(k===' '||k==='Spacebar'){start();}
    else if(k==='ArrowRight'||k==='PageDown'){go(1);}
    else if(k==='ArrowLeft'||k==='PageUp'){go(-1);}
    else if(k==='r'||k==='R'){reset();}
    else if(k==='f'||k==='F'){full();}
    else return;
    e.preventDefault();});
  var hash=parseInt((location.hash||'').replace('#round-',''),10);
  if(hash>=1&&hash<=rounds.length)now=hash-1;
  window.addEventListener('resize',fit);
  show();
})();
"""


def render_screen(job: Job, guide: Guide) -> str:
    kit = job.ctx.kit
    v = kit.game.variables

    def L(key: str, **values) -> str:  # noqa: N802
        return label(kit, key, **values)

    def text(value: str) -> str:  # quotes and apostrophes as the printed guide and table card show them
        return to_html(typographic(fill(value, v), kit.game.language))

    def attr(value: str) -> str:
        return html.escape(typographic(fill(value, v), kit.game.language), quote=True)

    accent_colour = job.ctx.spec.colours.get("guide")
    accent = accent_colour.hex() if accent_colour else ACCENT
    total = len(guide.rounds)
    title = fill(kit.game.title, v)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{attr(kit.game.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)} · {html.escape(L('screen_title'))}</title>",
        f"<style>\n{_font_faces(job)}\n{CSS % {'accent': accent}}</style>",
        "</head>",
        "<body>",
        f'<header><span>{html.escape(title)}</span><span id="where" aria-live="polite"></span></header>',
        '<div class="progress nojs-hide" aria-hidden="true">' + "<span></span>" * total + "</div>",
        "<main>",
    ]
    start = 0
    for n, r in enumerate(guide.rounds, start=1):
        where = L("screen_round", n=n, total=total)
        up = L("screen_time_up")
        parts.append(f'<section class="round" data-round="{n}" data-seconds="{r.minutes * 60}" '
                     f'data-where="{attr(where)}" data-up="{attr(up)}">')
        parts.append("<div>")
        parts.append(f"<h1>{text(L('screen_heading', n=n, title=fill(r.title, v)))}</h1>")
        if r.goal:
            parts.append(f'<div class="label">{text(L("screen_goal"))}</div>')
            parts += [f'<p class="goal">{text(p)}</p>' for p in r.goal]
        if r.steps:
            parts.append(f'<div class="label">{text(L("screen_steps"))}</div>')
            parts.append("<ol>" + "".join(f"<li>{text(s)}</li>" for s in r.steps) + "</ol>")
        parts.append("</div>")
        clock = L("screen_clock", start=_clock(start), end=_clock(start + r.minutes))
        start += r.minutes
        parts.append(
            '<aside class="clock">'
            f'<div class="minutes">{text(L("screen_minutes", minutes=r.minutes))} · {html.escape(clock)}</div>'
            f'<div class="time" role="timer" aria-live="off">{r.minutes}:00</div>'
            '<div class="up"></div>'
            '<div class="buttons nojs-hide">'
            f'<button class="start primary" data-do="start" data-start="{attr(L("screen_start"))}" '
            f'data-pause="{attr(L("screen_pause"))}">{html.escape(L("screen_start"))}</button>'
            f'<button data-do="reset">{html.escape(L("screen_reset"))}</button>'
            f'<button data-do="prev">{html.escape(L("screen_previous"))}</button>'
            f'<button data-do="next">{html.escape(L("screen_next"))}</button>'
            "</div></aside>")
        parts.append("</section>")
    parts += [
        "</main>",
        f'<footer class="nojs-hide">{html.escape(L("screen_keys"))}</footer>',
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _screen(job: Job) -> None:
    kit = job.ctx.kit
    section = kit.sections.get("guide")
    if section is None:
        return  # the screen shows the guide's rounds; a kit without guide text has none
    out = Collector()
    guide = parse_guide(section, kit.game, kit.types, out)
    out.raise_if_any()
    page = render_screen(job, guide)
    path = job.stage / FILE
    write_bytes_atomic(path, page.encode("utf-8"))
    job.products.append(_record(guide))
    job.progress.advance(1, "facilitator screen")


def _record(guide: Guide) -> Product:
    # "pages" are its screens, one per round; nothing of it is printed
    return Product(KIND, FILE, len(guide.rounds), "screen", {"per": "session", "media": "text/html"})


def _plan_screen(job: Job, out: Collector) -> list[Product]:
    kit = job.ctx.kit
    section = kit.sections.get("guide")
    if section is None:
        return []
    parsed = Collector()
    guide = parse_guide(section, kit.game, kit.types, parsed)
    out.extend(parsed.diagnostics)
    return [] if parsed.diagnostics else [_record(guide)]


register_product("screen", _screen, _plan_screen)
