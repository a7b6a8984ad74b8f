// Offline reading: registers the service worker (/sw.js) where the browser has one (the offline
// page lists what it kept: saved-pages.js). Without service workers (WeChat on iPhone,
// JavaScript off) nothing here runs and every page works as before.
(function () {
  "use strict";

  var script = document.currentScript;
  if ("serviceWorker" in navigator && script && script.dataset.serviceWorker) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" })
        .catch(function () { /* the site works without it */ });
    });
  }

  // An htmx link that cannot reach the server becomes a plain visit, which the service
  // worker answers from the phone (the kept page, or the offline page).
  document.addEventListener("htmx:sendError", function (event) {
    var link = event.detail && event.detail.elt;
    if (link && link.matches && link.matches("a[href]")) window.location.href = link.href;
  });
})();
