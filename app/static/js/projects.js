// Projects pages: progressive enhancement only (every page works without this file).
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () { window.print(); });
  });
})();
