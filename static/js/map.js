/* Buurtwijs maps: draw GeoJSON areas from a <script type="application/json"> block.
   No tile server is needed; tiles are used only when the site sets MAP_TILE_URL. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function initMap(el) {
    var data = readJSON(el.dataset.geojson);
    var outline = readJSON(el.dataset.outline);
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: true });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(el.dataset.credit || "CBS / PDOK");
    var bounds = null;
    if (outline && outline.features.length) {
      var outlineLayer = L.geoJSON(outline, {
        interactive: false,
        style: { color: "#1d4d8b", weight: 3, fill: false }
      }).addTo(map);
      bounds = outlineLayer.getBounds();
    }
    if (data && data.features.length) {
      var layer = L.geoJSON(data, {
        style: { color: "#1d4d8b", weight: 1.5, fillColor: "#5b8fd4", fillOpacity: 0.25 },
        onEachFeature: function (feature, featureLayer) {
          var p = feature.properties || {};
          featureLayer.bindTooltip(p.name || p.code, { sticky: true });
          if (p.url) {
            featureLayer.on("click", function () { window.location.href = p.url; });
          }
          featureLayer.on("mouseover", function () { featureLayer.setStyle({ fillOpacity: 0.5 }); });
          featureLayer.on("mouseout", function () { featureLayer.setStyle({ fillOpacity: 0.25 }); });
        }
      }).addTo(map);
      bounds = bounds ? bounds.extend(layer.getBounds()) : layer.getBounds();
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [10, 10] });
    } else {
      map.setView([52.2, 5.3], 7);
    }
  }

  document.querySelectorAll("[data-bw-map]").forEach(initMap);
})();
