// Progressive enhancement only: the new-assessment form works without this file.
(function () {
  "use strict";
  // Choosing another center reloads the form so that the project list shows that center's projects.
  var center = document.querySelector("form.js-center-reload select[name=center_id]");
  if (center) {
    center.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.searchParams.set("center_id", center.value);
      url.searchParams.delete("project_id");
      window.location.assign(url.toString());
    });
  }
})();
