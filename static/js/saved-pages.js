// The offline page (/offline/) lists the guides the service worker kept on this phone, most
// recently opened first. Loaded by that page only.
(function () {
  "use strict";

  var list = document.getElementById("saved-pages");
  if (!list || !("caches" in window)) return;

  function titleOf(html) {
    var found = /<title>([^<]*)<\/title>/.exec(html);
    if (!found) return "";
    var title = new DOMParser().parseFromString(found[1], "text/html").documentElement.textContent;
    return title.replace(/\s*·\s*商户帮助中心\s*$/, "").trim();
  }

  caches.open(list.dataset.pagesCache).then(function (cache) {
    return cache.keys().then(function (requests) {
      // Most recently opened first.
      return Promise.all(requests.reverse().map(function (request) {
        return cache.match(request, { ignoreVary: true }).then(function (response) {
          return response ? response.text() : "";
        }).then(function (html) {
          return { url: new URL(request.url), title: titleOf(html) };
        });
      }));
    });
  }).then(function (pages) {
    pages.forEach(function (page) {
      if (!page.title) return;
      var item = document.createElement("li");
      var link = document.createElement("a");
      var title = document.createElement("span");
      link.href = page.url.pathname;
      title.className = "guide-title";
      title.textContent = page.title;
      link.appendChild(title);
      item.appendChild(link);
      list.appendChild(item);
    });
    if (list.children.length) {
      list.hidden = false;
      document.getElementById("saved-none").hidden = true;
    }
  }).catch(function () { /* nothing kept: the note stays */ });
})();
