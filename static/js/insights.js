// Counts for editors (insights/): which guides are read, how far the assistant gets, what
// search finds. One small same-origin POST per page or step, sent with navigator.sendBeacon so
// it never delays anything; it carries what the URL already says, nothing about the visitor.
(function () {
  "use strict";

  var ENDPOINT = "/insights/event";
  var MOST_PER_PAGE = 40; // a page left open for hours still sends a bounded number
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
      // Counting is best effort: a blocked beacon must never break the page.
    }
  }

  function treeVersion() {
    var element = document.querySelector("[data-tree-version]");
    return element ? element.getAttribute("data-tree-version") : "";
  }

  function shown(url) {
    var path = url.pathname;
    var params = url.searchParams;
    var match = /^\/guides\/([a-z0-9-]+)\/$/.exec(path);
    if (match) return send({ k: "view", g: match[1] });
    match = /^\/codes\/([A-Za-z0-9]{1,8})\/$/.exec(path);
    if (match) return send({ k: "code", c: match[1] });
    if (path === "/search/") {
      var query = params.get("q");
      if (query && (params.get("page") || "1") === "1") send({ k: "search", q: query.slice(0, 200) });
      return;
    }
    var version = treeVersion();
    if (!version) return;
    if (path === "/triage/ask/") {
      var said = params.get("q");
      if (said) send({ k: "ask", q: said.slice(0, 200), v: version });
      return;
    }
    match = /^\/triage\/(?:(.+)\/)?$/.exec(path);
    if (match && !/^(code|qr|ask)(\/|$)/.test(match[1] || "")) {
      send({ k: "step", p: match[1] || "", v: version });
    }
  }

  function start() {
    shown(new URL(window.location.href));
    reveal(document);
  }

  // Shown only where JavaScript runs (e.g. a copy button).
  function reveal(root) {
    root.querySelectorAll("[data-insights-needs-js][hidden]").forEach(function (element) {
      element.hidden = false;
    });
  }

  // An assistant step that htmx fetched and pushed to the address bar is a page shown too.
  document.addEventListener("htmx:pushedIntoHistory", function (event) {
    shown(new URL(event.detail.path, window.location.href));
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    reveal(event.target.parentNode || document);
  });

  // Which search result was opened.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".results a[href], .instant-list a[href]");
    if (!link) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    var match = /^\/guides\/([a-z0-9-]+)\/$/.exec(url.pathname);
    if (match) send({ k: "open", g: match[1] });
    else if (url.pathname.indexOf("/triage/") === 0) send({ k: "open", g: "assistant" });
  });

  // A vote names the section the reader came to (the address's #anchor), for the agent text.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insights-vote] button");
    if (!button) return;
    var field = button.form && button.form.querySelector("input[name=section]");
    if (field) field.value = decodeURIComponent(window.location.hash.slice(1)).slice(0, 100);
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
