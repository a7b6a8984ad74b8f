// 朗读: the browser's own Chinese voice reads a guide section or an assistant outcome, with a
// stop. care.js loads this file only where speechSynthesis has a Chinese voice, so without one
// (or without JavaScript) there is no button at all, and nothing is fetched.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var current = null;

  function chineseVoice() {
    var voices = synth.getVoices().filter(function (v) { return /^(zh|cmn)([-_]|$)/i.test(v.lang); });
    return voices.filter(function (v) { return /^(zh|cmn)[-_](CN|Hans)/i.test(v.lang); })[0] || voices[0];
  }

  function reset() {
    if (current) { current.textContent = "朗读"; current.setAttribute("aria-pressed", "false"); }
    current = null;
  }

  function speak(button, text) {
    var voice = chineseVoice();
    synth.cancel();
    reset();
    // Short pieces: some browsers stop a long utterance after about fifteen seconds.
    var parts = text.match(/[^。！？；\n]+[。！？；]?/g) || [];
    parts = parts.map(function (p) { return p.trim(); }).filter(Boolean);
    if (!voice || !parts.length) return;
    current = button;
    button.textContent = "停止";
    button.setAttribute("aria-pressed", "true");
    parts.forEach(function (part, i) {
      var u = new SpeechSynthesisUtterance(part);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.9;
      if (i === parts.length - 1) u.onend = function () { if (current === button) reset(); };
      synth.speak(u);
    });
  }

  function sectionText(heading) {
    var text = [heading.firstChild ? heading.firstChild.textContent : heading.textContent];
    for (var el = heading.nextElementSibling; el && el.tagName !== "H2"; el = el.nextElementSibling) {
      if (!el.classList.contains("read-aloud")) text.push(el.innerText);
    }
    return text.join("\n");
  }

  function addButton(after, read) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "read-aloud";
    button.textContent = "朗读";
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      if (current === button) { synth.cancel(); reset(); } else { speak(button, read()); }
    });
    after.insertAdjacentElement("afterend", button);
  }

  function readAloud(scope) {
    if (!synth || !chineseVoice()) return;
    scope.querySelectorAll("[data-read-aloud]:not([data-read-aloud-ready])").forEach(function (box) {
      box.setAttribute("data-read-aloud-ready", "");
      if (box.classList.contains("guide-body")) {
        box.querySelectorAll("h2").forEach(function (h) { addButton(h, function () { return sectionText(h); }); });
      } else {
        var title = box.querySelector("h2");
        var parts = ":scope > h2, :scope > p:not(.step-number):not(.service-code):not(.outcome-codes)";
        if (title) addButton(title, function () {
          return [].map.call(box.querySelectorAll(parts), function (el) { return el.innerText; }).join("\n");
        });
      }
    });
  }

  readAloud(document);
  // htmx adds assistant steps later; a stop when the merchant leaves the page.
  document.body.addEventListener("htmx:afterSettle", function () { readAloud(document); });
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
