/* Initiatives on a Leaflet map: points fetched as GeoJSON from the map-data endpoint
   with the same filters as the list, drawn over the outlines of their wijken and
   buurten. Initiatives at the same place share one marker that shows how many there
   are; its popup lists them all, so every initiative is reachable from the map (the
   list above the map is its text twin). Markers are buttons a keyboard reaches with
   Tab. No inline script, so the CSP stays strict. */
(function () {
  "use strict";

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function drawAreas(map, areas) {
    if (!areas || !areas.features || !areas.features.length) { return null; }
    return L.geoJSON(areas, {
      interactive: false,
      style: function (feature) {
        var wijk = feature.properties.kind === "wijk";
        return {
          color: wijk ? "#1d4d8b" : "#5b6b7f",
          weight: wijk ? 3 : 1,
          dashArray: wijk ? null : "4 3",
          fillColor: wijk ? "#dfe8f5" : "#ffffff",
          fillOpacity: wijk ? 0.35 : 0
        };
      },
      onEachFeature: function (feature, layer) {
        if (feature.properties.kind === "wijk") {
          layer.bindTooltip(escapeText(feature.properties.name), {
            permanent: true, direction: "center", className: "bw-map-area-label"
          });
        }
      }
    }).addTo(map);
  }

  /* Group the points by place (same coordinates). */
  function groupByPlace(features) {
    var groups = [];
    var byKey = {};
    features.forEach(function (feature) {
      var c = feature.geometry.coordinates;
      var key = c[0].toFixed(6) + "," + c[1].toFixed(6);
      if (!byKey[key]) {
        byKey[key] = { lat: c[1], lon: c[0], place: feature.properties.place || feature.properties.wijk, items: [] };
        groups.push(byKey[key]);
      }
      byKey[key].items.push(feature.properties);
    });
    return groups;
  }

  function addMarkers(map, el, groups) {
    var layer = L.featureGroup();
    groups.forEach(function (group) {
      var n = group.items.length;
      var label = fill(n === 1 ? el.dataset.textOne : el.dataset.textMany,
                       { place: group.place, n: n });
      var icon = L.divIcon({
        className: "bw-map-pin bw-map-pin--count",
        html: '<span aria-hidden="true">' + n + "</span>",
        iconSize: [32, 32],
        iconAnchor: [16, 16],
        popupAnchor: [0, -16]
      });
      var marker = L.marker([group.lat, group.lon], { icon: icon, keyboard: true, title: label, alt: label });
      var html = "<strong>" + escapeText(label) + '</strong><ul class="bw-map-popup-list">';
      group.items.forEach(function (p) {
        html += '<li><a href="' + encodeURI(p.url) + '">' + escapeText(p.title) + "</a>" +
          (p.summary ? "<br>" + escapeText(p.summary) : "") + "</li>";
      });
      html += "</ul>";
      marker.bindPopup(html, { maxHeight: 260, minWidth: 200 });
      marker.on("popupopen", function (event) {
        var element = event.popup.getElement();
        element.addEventListener("keydown", function (keyEvent) {
          if (keyEvent.key === "Escape") { map.closePopup(event.popup); }
        });
        var link = element.querySelector(".bw-map-popup-list a");
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
      layer.addLayer(marker);
    });
    return layer.addTo(map);
  }

  function initMap(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    map.setView([52.2, 5.3], 7);
    var summary = el.dataset.summary && document.getElementById(el.dataset.summary);
    fetch(el.dataset.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var areas = drawAreas(map, data.areas);
        var features = data.features || [];
        var groups = groupByPlace(features);
        var markers = groups.length ? addMarkers(map, el, groups) : null;
        if (summary) {
          summary.textContent = features.length === 1 ? el.dataset.textSummaryOne :
            fill(el.dataset.textSummary, { n: features.length, places: groups.length });
        }
        var bounds = areas ? areas.getBounds() : (markers ? markers.getBounds() : null);
        if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], maxZoom: 15 }); }
        el.dataset.ready = "true";
      })
      .catch(function () { el.dataset.ready = "error"; /* the list shows the same initiatives */ });
  }

  document.querySelectorAll("[data-bw-initiatieven-map]").forEach(initMap);
})();
