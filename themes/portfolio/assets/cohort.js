/* Cohort learner directory: search by name, filter by skill, issuer, credential and pathway.
   Progressive enhancement: without JavaScript the page lists learners and links to the A-Z
   and facet pages. The index is sharded (format in portfolio_gen/cohort/search_index.py):
   the first search loads the small manifest plus one name shard or one posting list per
   filter, and only the card blocks it shows. Only same-site relative URLs are fetched. */
(function () {
  "use strict";
  var PAGE = 24;

  function fold(text) {
    var t = text.normalize ? text.normalize("NFKD") : text;
    return t.replace(/[^\x00-\x7f]/g, "").toLowerCase().match(/[a-z0-9]+/g) || [];
  }
  function shardLetter(word) {
    var c = word.charAt(0);
    return /[a-z0-9]/.test(c) ? c : "_";
  }
  function intersect(lists) {
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var out = lists[0].slice();
    for (var i = 1; i < lists.length; i += 1) {
      var set = {};
      lists[i].forEach(function (id) { set[id] = true; });
      out = out.filter(function (id) { return set[id]; });
    }
    return out.sort(function (a, b) { return a - b; });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function setup() {
    var box = document.querySelector("[data-pg-cohort]");
    if (!box || box.getAttribute("data-pg-ready")) { return; }
    box.setAttribute("data-pg-ready", "1");
    var base = box.getAttribute("data-index");
    var root = box.getAttribute("data-root");
    var form = box.querySelector("[data-pg-cohort-form]");
    var q = form.querySelector("[data-pg-q]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var results = box.querySelector("[data-pg-cohort-results]");
    var status = box.querySelector("[data-pg-cohort-status]");
    var more = box.querySelector("[data-pg-cohort-more]");
    var moreStatic = box.querySelector("[data-pg-cohort-more-static]");
    var staticNodes = Array.prototype.slice.call(results.childNodes);
    var cache = {};
    var manifest = null;
    var found = [];
    var limit = PAGE;
    var seq = 0;

    function get(path) {
      if (!cache[path]) {
        cache[path] = fetch(base + path, {credentials: "same-origin"}).then(function (r) {
          if (!r.ok) { throw new Error(r.status + " " + path); }
          return r.json();
        });
      }
      return cache[path];
    }

    function card(row) {
      var slug = row[0], name = row[1], headline = row[2], verified = row[3];
      var skills = row[4], photo = row[5];
      var article = el("article", "pg-cohort-card");
      if (photo) {
        var img = el("img", "pg-cohort-card__photo");
        img.src = root + photo; img.alt = ""; img.width = 64; img.height = 64;
        img.loading = "lazy";
        article.appendChild(img);
      } else {
        var ph = el("span", "pg-cohort-card__photo pg-cohort-card__photo--none",
                    (fold(name)[0] || "?").charAt(0).toUpperCase());
        ph.setAttribute("aria-hidden", "true");
        article.appendChild(ph);
      }
      var body = el("div", "pg-cohort-card__body");
      var h = el("h2", "pg-cohort-card__name");
      var a = el("a", "", name);
      a.href = root + "learners/" + encodeURIComponent(slug) + "/";
      h.appendChild(a);
      body.appendChild(h);
      if (headline) { body.appendChild(el("p", "pg-cohort-card__headline", headline)); }
      body.appendChild(el("p", "pg-cohort-card__count", verified + " verified credential" +
                          (verified === 1 ? "" : "s")));
      if (skills.length) {
        var ul = el("ul", "pg-chips pg-cohort-card__skills");
        ul.setAttribute("aria-label", "Top skills of " + name);
        skills.forEach(function (s) { ul.appendChild(el("li", "", s)); });
        body.appendChild(ul);
      }
      article.appendChild(body);
      return article;
    }

    function showStatic() {
      results.textContent = "";
      staticNodes.forEach(function (n) { results.appendChild(n); });
      if (moreStatic) { moreStatic.hidden = false; }
      more.hidden = true;
      status.textContent = "";
      results.removeAttribute("data-pg-state");
    }

    function render(my) {
      var ids = found.slice(0, limit);
      var size = manifest.card_block;
      var blocks = [];
      ids.forEach(function (id) {
        var b = Math.floor(id / size);
        if (blocks.indexOf(b) < 0) { blocks.push(b); }
      });
      return Promise.all(blocks.map(function (b) { return get("cards/" + b + ".json"); }))
        .then(function (loaded) {
          if (my !== seq) { return; }
          var rows = {};
          blocks.forEach(function (b, i) { rows[b] = loaded[i]; });
          results.textContent = "";
          ids.forEach(function (id) {
            results.appendChild(card(rows[Math.floor(id / size)][id % size]));
          });
          if (moreStatic) { moreStatic.hidden = true; }
          more.hidden = found.length <= limit;
          status.textContent = found.length === 0 ? "No learner matches." :
            found.length + " learner" + (found.length === 1 ? "" : "s") + " found" +
            (found.length > limit ? ", showing " + limit : "") + ".";
          results.setAttribute("data-pg-state", "results");
        });
    }

    var lastState = null;
    function run() {
      var words = fold(q.value);
      /* Skip a search whose inputs did not change (a text box's "change" on blur, say):
         re-rendering would replace the links under a click in progress. */
      var state = words.join(" ") + "|" + selects.map(function (s) { return s.value; }).join("|");
      if (state === lastState) { return; }
      lastState = state;
      var my = ++seq;
      var lists = [];
      selects.forEach(function (s) {
        if (s.value !== "") {
          lists.push(get("facets/" + s.getAttribute("data-facet") + "/" + s.value + ".json"));
        }
      });
      if (words.length) {
        var letter = shardLetter(words[0]);
        if (manifest.name_shards.indexOf(letter) < 0) {
          lists.push(Promise.resolve([]));
        } else {
          lists.push(get("names/" + letter + ".json").then(function (rows) {
            return rows.filter(function (r) {
              var parts = r[1].split(" ");
              return words.every(function (w) {
                return parts.some(function (p) { return p.indexOf(w) === 0; });
              });
            }).map(function (r) { return r[0]; });
          }));
        }
      }
      if (!lists.length) { showStatic(); return; }
      Promise.all(lists).then(function (loaded) {
        if (my !== seq) { return; }
        found = intersect(loaded);
        limit = PAGE;
        return render(my);
      }).catch(function () {
        if (my === seq) { status.textContent = "Search is not available; use the letters above."; }
      });
    }

    get("manifest.json").then(function (m) {
      manifest = m;
      selects.forEach(function (s) {
        (m.facets[s.getAttribute("data-facet")] || []).forEach(function (v) {
          var opt = el("option", "", v[2] + " (" + v[3] + ")");
          opt.value = String(v[0]);
          s.appendChild(opt);
        });
      });
      form.hidden = false;
      form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      form.addEventListener("change", function (e) { if (e.target !== q) { run(); } });
      form.addEventListener("reset", function () { window.setTimeout(run, 0); });
      q.addEventListener("input", run);
      more.addEventListener("click", function () { limit += PAGE; render(seq); });
    }).catch(function () { /* keep the static list */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(setup); }
})();
