// Search the archive with no server: the build writes search-index.js (one entry per issue
// and per item, with its distinct words folded to lower case without accents); this script
// loads it on first use and shows the entries holding every word typed (as word prefixes).
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var root = form.getAttribute("data-root") || "";
  var MAX_RESULTS = 50;
  var loading = null;
  var timer = null;

  function loadIndex() {
    if (window.bulletinSearchIndex) return Promise.resolve(window.bulletinSearchIndex);
    if (!loading) {
      // A script, not fetch(): it loads from a page opened straight from disk too.
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "search-index.js";
        script.onload = function () { resolve(window.bulletinSearchIndex || []); };
        script.onerror = function () { loading = null; reject(new Error("no search index")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // The same folding as archive.search_terms in the build.
  function words(text) {
    var folded = text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return folded.match(/[\p{L}\p{N}]+/gu) || [];
  }

  function score(entry, query) {
    var terms = " " + entry.terms;
    var title = " " + words(entry.title).join(" ");
    var total = 0;
    for (var i = 0; i < query.length; i++) {
      var needle = " " + query[i];
      if (terms.indexOf(needle) < 0) return 0;
      total += title.indexOf(needle) >= 0 ? 3 : 1;
    }
    return total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(results, raw) {
    list.textContent = "";
    results.slice(0, MAX_RESULTS).forEach(function (entry) {
      var item = element("li", "search-result");
      var link = element("a", "", entry.title);
      link.href = root + entry.url;
      var heading = element("p", "search-result-title");
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(element("p", "meta", entry.issue ? entry.issue + " · " + entry.date : entry.date));
      if (entry.text) item.appendChild(element("p", "search-result-text", entry.text));
      list.appendChild(item);
    });
    list.hidden = results.length === 0;
    var count = results.length === 1 ? "1 result" : results.length + " results";
    status.textContent = results.length
      ? count + " for \u201c" + raw + "\u201d" + (results.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + " shown" : "")
      : "No results for \u201c" + raw + "\u201d";
  }

  function search() {
    var raw = input.value.trim();
    var url = new URL(window.location.href);
    if (raw) url.searchParams.set("q", raw); else url.searchParams.delete("q");
    if (url.protocol !== "file:") window.history.replaceState(null, "", url.href);
    var query = words(raw);
    if (!query.length) {
      list.textContent = "";
      list.hidden = true;
      status.textContent = "";
      return;
    }
    loadIndex().then(function (index) {
      if (input.value.trim() !== raw) return; // the reader typed on meanwhile
      var found = [];
      index.forEach(function (entry, position) {
        var points = score(entry, query);
        if (points) found.push({ entry: entry, points: points, position: position });
      });
      // Best first; the index's own order (newest issue first) breaks ties.
      found.sort(function (a, b) { return b.points - a.points || a.position - b.position; });
      show(found.map(function (hit) { return hit.entry; }), raw);
    }, function () {
      status.textContent = "The search index could not be loaded.";
    });
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 150);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search();
  }
})();
