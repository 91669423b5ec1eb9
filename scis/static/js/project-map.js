// The project map: clustered project markers and district areas over the
// bundled province boundaries, coloured by project count or budget. Works
// without a tile server; the list below the map carries the same projects.
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function escapeHTML(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  // Five steps of one hue, light to dark, each readable under dark text.
  var SHADES = ["#eef3fb", "#cfdcf3", "#a9c1ea", "#7ea2dd", "#5a86cf"];

  function shade(value, largest) {
    if (!value) return "#f7f7f7";
    var step = Math.min(SHADES.length - 1, Math.floor((value / largest) * SHADES.length));
    return SHADES[step];
  }

  function popupHTML(properties, labels) {
    var parts = [
      '<p class="map-popup__title"><a href="' + escapeHTML(properties.url) + '">' +
        escapeHTML(properties.title) + "</a></p>",
      "<p>" + escapeHTML(labels.programme) + ": " + escapeHTML(properties.programme) +
        " (" + escapeHTML(properties.cohort_year) + ")</p>",
      "<p>" + escapeHTML(labels.stage) + ": " + escapeHTML(properties.stage_label) + "</p>",
    ];
    if (properties.budget_label) {
      parts.push("<p>" + escapeHTML(labels.budget) + ": " + escapeHTML(properties.budget_label) + "</p>");
    }
    return parts.join("");
  }

  function start() {
    var container = document.getElementById("project-map");
    var config = readJSON("project-map-config");
    var regions = readJSON("project-map-regions") || {};
    if (!container || !config || typeof L === "undefined") return;

    var map = L.map(container, { scrollWheelZoom: false, minZoom: 2, maxZoom: 18 }).setView([36.3, 127.8], 7);
    if (config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    } else {
      container.classList.add("project-map__canvas--plain");
    }

    var measure = "count";
    var provinceLayer = null;
    var largest = { count: 1, budget: 1 };
    Object.keys(regions).forEach(function (code) {
      largest.count = Math.max(largest.count, regions[code].count);
      largest.budget = Math.max(largest.budget, regions[code].budget);
    });

    function styleProvince(feature) {
      var totals = regions[feature.properties.code];
      var value = totals ? totals[measure] : 0;
      return { color: "#55637a", weight: 1, fillColor: shade(value, largest[measure]), fillOpacity: 0.85 };
    }

    fetch(config.provinces)
      .then(function (response) { return response.json(); })
      .then(function (boundaries) {
        provinceLayer = L.geoJSON(boundaries, {
          attribution: config.boundaries_attribution,
          style: styleProvince,
          onEachFeature: function (feature, layer) {
            var totals = regions[feature.properties.code];
            var name = document.documentElement.lang === "en" ? feature.properties.name_en : feature.properties.name_ko;
            var text = totals
              ? name + ": " + totals.count + " · " + totals.budget_label
              : name + ": " + config.labels.none;
            layer.bindTooltip(text, { sticky: true });
          },
        }).addTo(map);
        provinceLayer.bringToBack();
      })
      .catch(function (error) { console.warn("project map regions:", error); });

    var select = document.getElementById("map-colour");
    if (select) {
      select.addEventListener("change", function () {
        measure = select.value === "budget" ? "budget" : "count";
        if (provinceLayer) provinceLayer.setStyle(styleProvince);
      });
    }

    var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var areas = L.layerGroup().addTo(map);
    fetch(config.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var bounds = [];
        collection.features.forEach(function (feature) {
          var properties = feature.properties;
          if (properties.area) {
            L.geoJSON(properties.area, { style: { color: "#b4432d", weight: 2, fillOpacity: 0.2 } })
              .bindPopup(popupHTML(properties, config.labels))
              .addTo(areas);
          }
          if (!feature.geometry) return;  // location unknown: in the list only
          var point = feature.geometry.coordinates;
          var marker = L.marker([point[1], point[0]], { title: properties.title, alt: properties.title });
          marker.bindPopup(popupHTML(properties, config.labels));
          clusters.addLayer(marker);
          bounds.push([point[1], point[0]]);
        });
        map.addLayer(clusters);
        // Only projects in Korea set the view; partner cities abroad are a zoom away.
        var domestic = bounds.filter(function (p) { return p[0] > 32 && p[0] < 39.5 && p[1] > 124 && p[1] < 132; });
        if (domestic.length > 1) map.fitBounds(domestic, { padding: [24, 24], maxZoom: 11 });
        else if (domestic.length === 1) map.setView(domestic[0], 11);
      })
      .catch(function (error) { console.warn("project map:", error); /* the list below still works */ });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
