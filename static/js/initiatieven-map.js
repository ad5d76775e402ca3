/* Initiatives on a Leaflet map: points fetched as GeoJSON from the map-data endpoint
   with the same filters as the list. No inline script, so the CSP stays strict. */
(function () {
  "use strict";

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function initMap(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    map.setView([52.2, 5.3], 7);
    fetch(el.dataset.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.features || !data.features.length) { return; }
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 9, color: "#1d4d8b", weight: 2, fillColor: "#5b8fd4", fillOpacity: 0.8
            });
          },
          onEachFeature: function (feature, featureLayer) {
            var p = feature.properties || {};
            featureLayer.bindPopup(
              '<a href="' + encodeURI(p.url) + '">' + escapeText(p.title) + "</a><br>" +
              escapeText(p.summary)
            );
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
      })
      .catch(function () { /* the list above shows the same initiatives */ });
  }

  document.querySelectorAll("[data-bw-initiatieven-map]").forEach(initMap);
})();
