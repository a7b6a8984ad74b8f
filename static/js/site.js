// Small enhancements; every page works without this file.
(function () {
  "use strict";

  function say(message) {
    var status = document.getElementById("copy-status");
    if (!status) return;
    status.textContent = message;
    window.clearTimeout(say.timer);
    say.timer = window.setTimeout(function () { status.textContent = ""; }, 4000);
  }

  // "Copy link" on every section heading: the link still navigates to the section (so the
  // address bar shows it), and the full URL goes to the clipboard for a support agent to send.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-copy-link]");
    if (!link) return;
    var url = new URL(link.getAttribute("href"), window.location.href).href;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(
        function () { say("已复制本节链接"); },
        function () { say("请长按复制地址栏里的链接"); }
      );
    } else {
      say("请复制地址栏里的链接");
    }
  });

  // Copy buttons elsewhere (e.g. the "before you call" text): data-copy-target="#id".
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say("已复制"); });
    } else if (source.select) {
      source.select();
      say("已选中，请长按复制");
    }
  });

  // "Open now" from the hours a cached page carries ({tz, hours: [{days (0 = Mon), open, close}]}).
  function openNow(spec, now) {
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: spec.tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(now);
    var get = function (type) { return parts.find(function (p) { return p.type === type; }).value; };
    var day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(get("weekday"));
    var clock = get("hour") + ":" + get("minute");
    return spec.hours.some(function (rule) {
      return rule.days.indexOf(day) !== -1 && rule.open <= clock && clock < rule.close;
    });
  }

  function showOpenNow() {
    var badges = document.querySelectorAll("[data-open-hours]");
    for (var i = 0; i < badges.length; i++) {
      var badge = badges[i];
      try {
        var open = openNow(JSON.parse(badge.getAttribute("data-open-hours")), new Date());
      } catch (error) {
        continue;  // an old browser without time zones: the hours are shown, nothing claimed
      }
      badge.textContent = open ? "现在可联系" : "现在不在服务时间";
      badge.className = "status " + (open ? "status-open" : "status-closed");
      badge.hidden = false;
    }
  }
  showOpenNow();
  document.addEventListener("htmx:afterSettle", showOpenNow);

  // Escape closes the instant search results.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var box = document.getElementById("instant-results");
    if (box) box.innerHTML = "";
  });
})();
