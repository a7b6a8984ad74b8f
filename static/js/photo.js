// /photo/: shrink the photo on the phone (about 1,600 px, JPEG) before it is sent, and show
// progress. Without this file the form posts the photo as it is; the answer is the same.
(function () {
  "use strict";
  var SIDE = 1600;

  function shrink(file) {
    if (!window.createImageBitmap || !file.type || file.type.indexOf("image/") !== 0) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; }); // a format the browser cannot draw: send it as is
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-photo-form]");
    var input = form && form.querySelector("input[type=file]");
    if (!input || !input.files.length || !window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var status = form.querySelector(".photo-progress");
    var bar = status.querySelector("progress");
    var text = status.querySelector("span");
    var button = form.querySelector("button");
    status.hidden = false;
    button.disabled = true;
    text.textContent = "正在准备照片…";
    shrink(input.files[0]).then(function (photo) {
      var data = new FormData();
      data.append("image", photo, "screen.jpg");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("HX-Request", "true");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        text.textContent = "正在上传…";
      };
      xhr.upload.onload = function () {
        bar.removeAttribute("value"); // indeterminate while the photo is read
        text.textContent = "正在读屏幕上的字…";
      };
      xhr.onload = function () {
        var target = xhr.getResponseHeader("HX-Redirect");
        if (target) { window.location.assign(target); return; }
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = page.querySelector("main");
        if (!main) { form.submit(); return; }
        document.title = page.title;
        document.querySelector("main").innerHTML = main.innerHTML;
        var heading = document.querySelector("main h1");
        if (heading) { heading.tabIndex = -1; heading.focus(); }
      };
      xhr.onerror = function () {
        status.hidden = true;
        button.disabled = false;
        text.textContent = "";
        window.alert("网络不通，照片没有传上去。请检查网络再试。");
      };
      xhr.send(data);
    });
  });
})();
