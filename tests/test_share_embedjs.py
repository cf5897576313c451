"""embed.js: size budget, snippet shape, and its behaviour run under Node with a small fake DOM
(real browser tests with Chromium come with the browser suite)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portfolio_gen.share import embed
from portfolio_gen.share.samples import sample_info
from portfolio_gen.verify.report import Verdict

HARNESS = r"""
const fs = require("fs");
function el(tag) {
  const e = { tagName: tag, attrs: {}, children: [], firstChild: null,
    setAttribute(k, v) { this.attrs[k] = String(v); },
    getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; },
    appendChild(c) { this.children.push(c); this.firstChild = this.children[0]; },
    removeChild(c) { this.children = this.children.filter(x => x !== c);
                     this.firstChild = this.children[0] || null; },
    querySelector(sel) { return this.children.find(c => c.tagName === sel) || null; } };
  if (tag === "iframe") e.contentWindow = { id: Math.random() };
  return e;
}
function div(attrs, text) {
  const d = el("div"); Object.assign(d.attrs, attrs);
  const a = el("a"); a.textContent = text; d.appendChild(a); return d;
}
const divs = [
  div({"data-portfolio-credential": "https://card.example:8443/c/card-wide.html",
       "data-size": "wide"}, " Name (Revoked) "),
  div({"data-portfolio-credential": "javascript:alert(1)"}, "bad"),
  div({"data-portfolio-credential": "/rel/card-tall.html", "data-size": "tall"}, "rel"),
];
let listener = null;
global.window = { addEventListener(t, f) { if (t === "message") listener = f; } };
global.document = { readyState: "complete", baseURI: "https://host.example/page",
  createElement: el, addEventListener() {},
  querySelectorAll() { return divs; } };
eval(fs.readFileSync(process.argv[2], "utf8"));
const f0 = divs[0].children[0], f2 = divs[2].children[0];
const out = { first: f0 && f0.attrs, bad: divs[1].children.map(c => c.tagName),
              rel: f2 && f2.attrs, heights: [] };
const send = (source, origin, data) => { listener({ source, origin, data });
                                         out.heights.push(f0.attrs.height); };
const ok = { type: "portfolio-badge:size", width: 330, height: 220 };
send(f0.contentWindow, "https://evil.example", ok);             // wrong origin
send({}, "https://card.example:8443", ok);                       // wrong source
send(f0.contentWindow, "https://card.example:8443", { type: "x", height: 300 });
send(f0.contentWindow, "https://card.example:8443", { type: ok.type, height: "300" });
send(f0.contentWindow, "https://card.example:8443", "portfolio-badge:size");
send(f0.contentWindow, "https://card.example:8443", ok);         // accepted
send(f0.contentWindow, "https://card.example:8443", { type: ok.type, height: 1e9 });
console.log(JSON.stringify(out));
"""


def test_script_is_small_and_dependency_free() -> None:
    source = embed.embed_js()
    assert len(source.encode("utf-8")) < 3 * 1024
    for forbidden in ("import ", "require(", "fetch(", "XMLHttpRequest", "innerHTML", "eval("):
        assert forbidden not in source


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_script_upgrades_divs_and_validates_messages(tmp_path: Path) -> None:
    script = tmp_path / "embed.js"
    script.write_text(embed.embed_js(), encoding="utf-8")
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS, encoding="utf-8")
    run = subprocess.run(["node", str(harness), str(script)], capture_output=True, text=True,
                         check=True, timeout=60)
    out = json.loads(run.stdout)
    first = out["first"]
    assert first["src"] == "https://card.example:8443/c/card-wide.html"
    assert (first["width"], first["title"]) == ("330", "Name (Revoked)")
    assert first["loading"] == "lazy"
    assert {"allow-scripts", "allow-popups", "allow-popups-to-escape-sandbox"} <= set(
        first["sandbox"].split())
    assert out["bad"] == ["a"]   # javascript: URL left as the plain fallback link
    assert out["rel"]["src"] == "https://host.example/rel/card-tall.html"
    assert out["rel"]["height"] == "270"
    # five rejected messages, then one accepted, then one clamped
    assert out["heights"] == ["186"] * 5 + ["220", "800"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def test_snippet_has_a_working_fallback_link() -> None:
    info = sample_info(Verdict.REVOKED, name='X "<b>" & y')
    snippet = embed.script_embed_snippet(
        info, card_url="https://l.example/c/card-tall.html", page_url="https://l.example/c/",
        script_url="https://l.example/assets/portfolio-embed.js", size="tall")
    parser = _Tags()
    parser.feed(str(snippet))
    assert [t for t, _ in parser.tags] == ["div", "a", "script"]
    div, link, script = (a for _, a in parser.tags)
    assert div["class"] == "portfolio-badge" and div["data-size"] == "tall"
    assert div["data-portfolio-credential"] == "https://l.example/c/card-tall.html"
    assert link["href"] == "https://l.example/c/"
    assert script["src"].endswith("portfolio-embed.js") and "async" in script
    assert "<b>" not in str(snippet)
    with pytest.raises(ValueError):
        embed.script_embed_snippet(info, card_url="a", page_url="b", script_url="c",
                                   size="huge")
