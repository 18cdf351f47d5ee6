// Uploads each chosen photo in its own request, with a progress bar per photo. A refused or failed photo
// does not lose the others or the form. Without JavaScript the form posts all photos at once and still works.
(function () {
  "use strict";
  var form = document.querySelector("form.js-photo-upload");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector("input[type=file]");
  var area = document.getElementById("upload-progress");

  function row(name) {
    var item = document.createElement("div");
    item.className = "mb-2";
    var label = document.createElement("div");
    label.className = "small";
    label.textContent = name;
    var bar = document.createElement("progress");
    bar.className = "progress-meter";
    bar.max = 100;
    bar.value = 0;
    var status = document.createElement("div");
    status.className = "small";
    item.appendChild(label);
    item.appendChild(bar);
    item.appendChild(status);
    area.appendChild(item);
    return { bar: bar, status: status };
  }

  function sendOne(file, ui) {
    return new Promise(function (resolve) {
      var data = new FormData(form);
      data.delete("photos");
      data.append("photos", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { ui.bar.value = Math.round((event.loaded / event.total) * 95); }
      });
      xhr.addEventListener("load", function () {
        var reply = null;
        try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = null; }
        ui.bar.value = 100;
        if (reply && reply.ok) {
          ui.status.className = "small text-success";
          var link = document.createElement("a");
          link.href = reply.url;
          link.textContent = form.dataset.msgSaved;
          ui.status.appendChild(link);
        } else {
          ui.status.className = "small text-danger";
          ui.status.textContent = form.dataset.msgFailed + ": " + ((reply && reply.error) || xhr.status);
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        ui.status.className = "small text-danger";
        ui.status.textContent = form.dataset.msgNetwork;
        resolve();
      });
      xhr.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    if (!input.files || input.files.length === 0) { return; }
    event.preventDefault();
    area.textContent = "";
    var files = Array.prototype.slice.call(input.files);
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    files.reduce(function (chain, file) {
      var ui = row(file.name);
      return chain.then(function () { return sendOne(file, ui); });
    }, Promise.resolve()).then(function () {
      button.disabled = false;
      input.value = "";
    });
  });
})();
