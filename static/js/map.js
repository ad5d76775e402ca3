/* Buurtwijs maps: draw GeoJSON areas from a <script type="application/json"> block.
   No tile server is needed; tiles are used only when the site sets MAP_TILE_URL. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  /* Numbered markers for places (the list on the page with the same numbers is their
     text alternative). Markers are buttons a keyboard reaches with Tab; Enter opens
     the popup, focus moves into it, and Escape or closing it returns to the marker. */
  function addPoints(map, points, moreText) {
    if (!points || !points.length) { return null; }
    var group = L.featureGroup();
    points.forEach(function (p) {
      var label = p.number + ". " + p.name;
      var icon = L.divIcon({
        className: "bw-map-pin",
        html: '<span aria-hidden="true">' + escapeText(String(p.number)) + "</span>" +
          '<span class="bw-visually-hidden">' + escapeText(label) + "</span>",
        iconSize: [28, 28],
        iconAnchor: [14, 14],
        popupAnchor: [0, -14]
      });
      var marker = L.marker([p.lat, p.lon], { icon: icon, keyboard: true, title: label });
      var html = "<strong>" + escapeText(p.name) + "</strong><br>" + escapeText(p.kind);
      if (p.address) { html += "<br>" + escapeText(p.address); }
      if (p.hours) { html += "<br>" + escapeText(p.hours).replace(/\n/g, "<br>"); }
      if (p.anchor && moreText) {
        html += '<br><a href="#' + encodeURIComponent(p.anchor) + '">' +
          escapeText(moreText) + "</a>";
      }
      marker.bindPopup(html);
      marker.on("popupopen", function (event) {
        var element = event.popup.getElement();
        // Leaflet closes a popup on Escape only while the map itself has the focus.
        element.addEventListener("keydown", function (keyEvent) {
          if (keyEvent.key === "Escape") { map.closePopup(event.popup); }
        });
        var link = element.querySelector("a[href^='#']");
        if (link) { link.focus(); }
      });
      marker.on("popupclose", function () {
        var iconEl = marker.getElement();
        var active = document.activeElement;
        if (iconEl && (!active || active === document.body ||
            map.getContainer().contains(active))) {
          iconEl.focus();
        }
      });
      group.addLayer(marker);
    });
    group.addTo(map);
    return group;
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
        style: function (feature) {
          // A wijkpeiling's coverage: buurten no round reached yet are grey and dashed
          // (the table beside the map says the same in words).
          if (feature.properties && feature.properties.visited === false) {
            return { color: "#595959", weight: 1.5, dashArray: "4 4", fillColor: "#bdbdbd", fillOpacity: 0.25 };
          }
          return { color: "#1d4d8b", weight: 1.5, fillColor: "#5b8fd4", fillOpacity: 0.25 };
        },
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
    var pointsLayer = addPoints(map, readJSON(el.dataset.points), el.dataset.pointsMore);
    if (pointsLayer) {
      bounds = bounds ? bounds.extend(pointsLayer.getBounds()) : pointsLayer.getBounds();
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [10, 10] });
    } else {
      map.setView([52.2, 5.3], 7);
    }
  }

  document.querySelectorAll("[data-bw-map]").forEach(initMap);
})();
