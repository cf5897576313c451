/* portfolio_gen embed: turns <div class="portfolio-badge" data-portfolio-credential="URL of a
   credential's iframe card" data-size="wide|tall"> into that card and sizes it from the card's
   postMessage (origin and shape checked). Without this script the div's own link still works. */
(function () {
  "use strict";
  var SIZES = { wide: [330, 186], tall: [150, 270] };
  var TYPE = "portfolio-badge:size";
  var frames = [];

  function upgrade(div) {
    if (div.getAttribute("data-portfolio-ready")) return;
    var url;
    try { url = new URL(div.getAttribute("data-portfolio-credential"), document.baseURI); }
    catch (e) { return; }
    if (url.protocol !== "https:" && url.protocol !== "http:") return;
    var size = div.getAttribute("data-size") === "tall" ? "tall" : "wide";
    var link = div.querySelector("a");
    var frame = document.createElement("iframe");
    frame.setAttribute("src", url.href);
    frame.setAttribute("title", (link && link.textContent.trim()) || "Credential");
    frame.setAttribute("width", String(SIZES[size][0]));
    frame.setAttribute("height", String(SIZES[size][1]));
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox");
    frame.setAttribute("style", "border:0;max-width:100%");
    div.setAttribute("data-portfolio-ready", "1");
    while (div.firstChild) div.removeChild(div.firstChild);
    div.appendChild(frame);
    frames.push({ frame: frame, origin: url.origin });
  }

  function onMessage(event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== TYPE) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height)) return;
    for (var i = 0; i < frames.length; i++) {
      var item = frames[i];
      if (event.source === item.frame.contentWindow && event.origin === item.origin) {
        item.frame.setAttribute("height", String(Math.max(40, Math.min(800, Math.round(height)))));
        return;
      }
    }
  }

  function run() {
    var found = document.querySelectorAll("div.portfolio-badge[data-portfolio-credential]");
    for (var i = 0; i < found.length; i++) upgrade(found[i]);
  }

  window.addEventListener("message", onMessage);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
