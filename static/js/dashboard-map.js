/* Officers' dashboard: choropleth of the wijken. Each feature carries a class
   ("0".."4", or "geen" for no shown count) and a label; never a hidden number. */
(function () {
  "use strict";

  function init(el) {
    var source = document.getElementById(el.dataset.geojson);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(el, { scrollWheelZoom: false, attributionControl: true });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(el.dataset.credit || "CBS / PDOK");
    if (!data.features.length) {
      map.setView([52.2, 5.3], 7);
      return;
    }
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return { className: "bw-choro bw-choro--" + feature.properties.klasse };
      },
      onEachFeature: function (feature, featureLayer) {
        var p = feature.properties || {};
        featureLayer.bindTooltip(p.name + ": " + p.label, { sticky: true });
        if (p.url) {
          featureLayer.on("click", function () { window.location.href = p.url; });
        }
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [10, 10] });
    } else {
      map.setView([52.2, 5.3], 7);
    }
  }

  document.querySelectorAll("[data-bw-choropleth]").forEach(init);
})();
