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

  // Escape closes the instant search results.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var box = document.getElementById("instant-results");
    if (box) box.innerHTML = "";
  });
})();
