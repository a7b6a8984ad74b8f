// Counts for editors: one sendBeacon per page or step (what the URL says, nothing about the
// visitor), and once the words last typed (sessionStorage) with the answer they ended on.
(function () {
  "use strict";

  var urls = (document.currentScript || {}).dataset || {};
  if (!urls.event) return;
  var ENDPOINT = urls.event;
  function escaped(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function shape(template, placeholder, part) {
    return new RegExp("^" + escaped(template || "").replace(placeholder, part) + "$");
  }
  var GUIDE = shape(urls.guide, "SLUG", "([a-z0-9-]+)");
  var CODE = shape(urls.code, "CODE", "([A-Za-z0-9]{1,8})");
  var ASSISTANT = urls.assistant;
  var RESERVED = (urls.reserved || "").split(" ").filter(Boolean);
  var MOST_PER_PAGE = 40;
  var MAX_BODY = 900;
  var sent = 0;

  function send(fields) {
    if (sent >= MOST_PER_PAGE || !navigator.sendBeacon) return;
    var body = new URLSearchParams(fields);
    if (body.toString().length > MAX_BODY) return;
    sent += 1;
    try {
      navigator.sendBeacon(ENDPOINT, body);
    } catch (error) {
    }
  }

  function remember(query) {
    try { sessionStorage.said = query.slice(0, 200); } catch (e) {}
  }
  function recall() {
    try { var q = sessionStorage.said || ""; delete sessionStorage.said; return q; } catch (e) { return ""; }
  }

  function treeVersion() {
    var element = document.querySelector("[data-tree-version]");
    return element ? element.getAttribute("data-tree-version") : "";
  }

  function shown(url) {
    var path = url.pathname;
    var params = url.searchParams;
    var match = GUIDE.exec(path);
    if (match) return send({ kind: "view", guide: match[1] });
    match = CODE.exec(path);
    if (match) return send({ kind: "code", code: match[1] });
    if (path === urls.search) {
      var query = params.get("q");
      if (query && (params.get("page") || "1") === "1") {
        send({ kind: "search", query: query.slice(0, 200) });
        remember(query);
      }
      return;
    }
    var version = treeVersion();
    if (!version) return;
    if (path === urls.ask) {
      var said = params.get("q");
      if (said) {
        send({ kind: "ask", query: said.slice(0, 200), version: version });
        remember(said);
      }
      return;
    }
    var reserved = RESERVED.some(function (prefix) { return path.indexOf(prefix) === 0; });
    if (path.indexOf(ASSISTANT) === 0 && !reserved) {
      var step = path.slice(ASSISTANT.length).replace(/\/$/, "");
      send({ kind: "step", path: step, version: version });
      if (/\/(solved|unsolved)$/.test(step)) {
        var typed = recall();
        if (typed) send({ kind: "said", query: typed, path: step, version: version });
      }
    }
  }

  function start() {
    shown(new URL(window.location.href));
    reveal(document);
  }

  function reveal(root) {
    root.querySelectorAll("[data-insights-needs-js][hidden]").forEach(function (element) {
      element.hidden = false;
    });
  }

  document.addEventListener("htmx:pushedIntoHistory", function (event) {
    shown(new URL(event.detail.path, window.location.href));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    reveal(event.target.parentNode || document);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".results a[href], .instant-list a[href]");
    if (!link) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    var match = GUIDE.exec(url.pathname);
    if (match) send({ kind: "open", guide: match[1] });
    else if (url.pathname.indexOf(ASSISTANT) === 0) send({ kind: "open", guide: "assistant" });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insights-vote] button");
    if (!button) return;
    var field = button.form && button.form.querySelector("input[name=section]");
    if (field) field.value = decodeURIComponent(window.location.hash.slice(1)).slice(0, 100);
    var guide = GUIDE.exec(window.location.pathname);
    var typed = guide && (button.value === "yes" || button.value === "no") ? recall() : "";
    if (typed) send({ kind: "said", query: typed, guide: guide[1], verdict: button.value });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
