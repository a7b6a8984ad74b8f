// 关怀模式 (large text, set before the first paint: loaded in <head>, not deferred; remembered
// in localStorage) and the loader of 朗读 (read-aloud.js).
(function () {
  "use strict";
  var KEY = "hc-care";
  var root = document.documentElement;
  var script = document.currentScript;
  try { if (localStorage.getItem(KEY) === "1") root.classList.add("care"); } catch (e) { /* private mode */ }

  function toggle() {
    var button = document.querySelector("[data-care-toggle]");
    if (!button) return;
    var sync = function () { button.setAttribute("aria-pressed", String(root.classList.contains("care"))); };
    sync();
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = root.classList.toggle("care");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* kept for this page only */ }
      sync();
    });
  }

  // read-aloud.js only where a Chinese voice exists (voices may arrive late) and there is text.
  function readAloud() {
    var synth = window.speechSynthesis;
    if (!synth || !document.querySelector("[data-read-aloud], #conversation")) return;
    var load = function () {
      var zh = synth.getVoices().some(function (v) { return /^(zh|cmn)([-_]|$)/i.test(v.lang); });
      if (load.done || !zh) return;
      load.done = true;
      var tag = document.createElement("script");
      tag.src = script.getAttribute("data-read-aloud");
      document.head.appendChild(tag);
    };
    load();
    synth.addEventListener("voiceschanged", load);
  }

  document.addEventListener("DOMContentLoaded", function () {
    toggle();
    readAloud();
  });
})();
