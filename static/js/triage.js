// The assistant's enhancements. Every step works without this file: answers are links, the
// free-text box is a GET form, and the "before you call" card says to write things down.
(function () {
  "use strict";

  var focusTimer = 0;

  // Keyboard and screen-reader users land on the newest question, not at the top of the page.
  function focusCurrent() {
    var questions = document.querySelectorAll("#conversation .question");
    var last = questions[questions.length - 1];
    if (last) last.focus();
  }

  // The "before you call" text is built here, in the browser: nothing typed is sent anywhere.
  function summary(card) {
    var lines = [];
    var code = card.getAttribute("data-call-code");
    var title = card.getAttribute("data-call-title");
    if (code) lines.push("服务码：" + code + (title ? "（" + title + "）" : ""));
    card.querySelectorAll("[data-call-field]").forEach(function (field) {
      var value = field.value.trim();
      if (value) lines.push(field.getAttribute("data-call-field") + "：" + value);
    });
    return lines.join("\n");
  }

  // Idempotent, and run again after htmx swaps and history restores (which bring new nodes).
  function enhance() {
    document.querySelectorAll("[data-call-card]").forEach(function (card) {
      var builder = card.querySelector("[data-call-builder]");
      var output = card.querySelector("[data-call-summary]");
      if (!builder || !output) return;
      builder.hidden = false;
      var paper = card.querySelector("[data-call-paper]");
      if (paper) paper.hidden = true;
      if (!output.value) output.value = summary(card);
      var share = card.querySelector("[data-call-share]");
      if (share && navigator.share) share.hidden = false;
    });
    document.querySelectorAll("[data-needs-js][hidden]").forEach(function (element) {
      element.hidden = false;
    });
  }

  document.addEventListener("input", function (event) {
    var card = event.target.closest("[data-call-card]");
    var output = card && card.querySelector("[data-call-summary]");
    if (output) output.value = summary(card);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-call-share]");
    var card = button && button.closest("[data-call-card]");
    if (card && navigator.share) navigator.share({ text: summary(card) }).catch(function () {});
  });

  enhance();
  var log = document.getElementById("conversation");
  if (log && log.hasAttribute("data-focus-current")) focusCurrent();

  // One answer brings several new elements (and the tools, out of band): act once.
  document.addEventListener("htmx:afterSettle", function () {
    window.clearTimeout(focusTimer);
    focusTimer = window.setTimeout(function () {
      enhance();
      focusCurrent();
    }, 0);
  });
  document.addEventListener("htmx:historyRestore", enhance);
})();
