/* Pick a place's point on a map: a click fills the latitude and longitude fields, and
   typed numbers move the marker. The fields stay the way to do it without a mouse. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = id && document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function parse(input) {
    var value = parseFloat(String(input.value || "").replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function initPicker(el) {
    var latInput = document.getElementById(el.dataset.lat);
    var lonInput = document.getElementById(el.dataset.lon);
    if (!latInput || !lonInput) { return; }
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "" }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    var outline = readJSON(el.dataset.outline);
    var bounds = null;
    if (outline && outline.features.length) {
      var layer = L.geoJSON(outline, {
        interactive: false,
        style: { color: "#1d4d8b", weight: 3, fillColor: "#5b8fd4", fillOpacity: 0.1 }
      }).addTo(map);
      bounds = layer.getBounds();
    }
    var marker = null;

    function place(lat, lon) {
      var latlng = L.latLng(lat, lon);
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.circleMarker(latlng, {
          radius: 9, color: "#1d4d8b", weight: 3, fillColor: "#ffffff", fillOpacity: 1
        }).addTo(map);
      }
    }

    function fromInputs() {
      var lat = parse(latInput);
      var lon = parse(lonInput);
      if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
        place(lat, lon);
        return true;
      }
      return false;
    }

    map.on("click", function (event) {
      latInput.value = event.latlng.lat.toFixed(6);
      lonInput.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng);
    });
    latInput.addEventListener("change", fromInputs);
    lonInput.addEventListener("change", fromInputs);

    // The map needs a view before anything is drawn on it.
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [10, 10] });
    } else {
      map.setView([52.2, 5.3], 7);
    }
    if (fromInputs() && !(bounds && bounds.isValid())) {
      map.setView(marker.getLatLng(), 15);
    }
  }

  document.querySelectorAll("[data-bw-point-picker]").forEach(initPicker);
})();
