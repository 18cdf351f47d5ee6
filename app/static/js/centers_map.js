// The map of centers: reads its settings from data-* attributes and the centers from a JSON endpoint.
// Progressive enhancement only: the table under the map lists the same centers without this file.
(function () {
  "use strict";
  var element = document.getElementById("centers-map");
  if (!element || typeof window.L === "undefined") { return; }
  var L = window.L;
  var HONDURAS = L.latLngBounds([12.9, -89.4], [16.6, -83.1]);
  var COLORS = {
    returned_adults: "#0b4f6c",
    unaccompanied_children: "#c2410c",
    children_and_families: "#15803d"
  };

  var tileUrl = element.getAttribute("data-tile-url");
  var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 });
  map.fitBounds(HONDURAS);

  if (tileUrl) {
    L.tileLayer(tileUrl, {
      attribution: element.getAttribute("data-tile-attribution") || "",
      maxZoom: 18
    }).addTo(map);
  } else if (window.HONDURAS_OUTLINE) {
    L.geoJSON(window.HONDURAS_OUTLINE, {
      interactive: false,
      style: { color: "#6c757d", weight: 1.5, fillColor: "#f8f9fa", fillOpacity: 1 }
    }).addTo(map);
  }

  function popupFor(center) {
    // Built from DOM nodes with textContent: names typed by people never become markup.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = center.code;
    box.appendChild(title);
    var name = document.createElement("div");
    name.textContent = center.name;
    box.appendChild(name);
    var meta = document.createElement("div");
    meta.className = "small text-secondary";
    meta.textContent = center.population_label + " · " + center.municipality + ", " + center.department +
      " · " + element.getAttribute("data-label-projects") + ": " + center.projects;
    box.appendChild(meta);
    var link = document.createElement("a");
    link.href = center.url;
    link.textContent = element.getAttribute("data-label-open");
    box.appendChild(link);
    return box;
  }

  function showCenters(data) {
    var placed = [];
    (data.centers || []).forEach(function (center) {
      if (center.latitude === null || center.longitude === null) { return; }
      var position = [center.latitude, center.longitude];
      var marker = L.circleMarker(position, {
        radius: 8,
        color: "#fff",
        weight: 2,
        fillColor: COLORS[center.population] || "#0b4f6c",
        fillOpacity: 0.95
      });
      marker.bindTooltip(center.code);
      marker.bindPopup(popupFor(center));
      marker.addTo(map);
      placed.push(position);
    });
    // Without tiles only the coarse outline gives context, so the whole country stays in view; with tiles,
    // zoom to the centers shown.
    if (tileUrl && placed.length) {
      map.fitBounds(L.latLngBounds(placed).pad(0.5), { maxZoom: 13 });
    }
  }

  function showFailure() {
    var note = document.createElement("p");
    note.className = "alert alert-warning mt-2";
    note.textContent = element.getAttribute("data-label-failed");
    element.insertAdjacentElement("afterend", note);
  }

  fetch(element.getAttribute("data-source"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" }
  }).then(function (response) {
    if (!response.ok) { throw new Error("HTTP " + response.status); }
    return response.json();
  }).then(showCenters).catch(showFailure);
})();
