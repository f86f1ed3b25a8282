// The petition form's map (only where MAP_TILE_URL is set): a tap puts the pin and
// fills the hidden latitude/longitude fields; the pin can be dragged or removed.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("place-map");
  if (!box || !window.L) return;
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  L.Icon.Default.imagePath = box.getAttribute("data-icons");
  var map = L.map(box).setView([16.0, 106.0], 5); // Viet Nam, whole
  L.tileLayer(box.getAttribute("data-tiles"), {
    maxZoom: 19,
    attribution: box.getAttribute("data-attribution") || "",
  }).addTo(map);
  var pin = null;
  function put(point) {
    lat.value = point.lat.toFixed(6);
    lng.value = point.lng.toFixed(6);
    if (pin) { pin.setLatLng(point); return; }
    pin = L.marker(point, { draggable: true, keyboard: true }).addTo(map);
    pin.on("dragend", function () { put(pin.getLatLng()); });
  }
  if (lat.value && lng.value) {
    var start = L.latLng(parseFloat(lat.value), parseFloat(lng.value));
    put(start);
    map.setView(start, 15);
  }
  map.on("click", function (event) { put(event.latlng); });
  var clear = document.getElementById("place-map-clear");
  if (clear) {
    clear.hidden = false;
    clear.addEventListener("click", function () {
      if (pin) { map.removeLayer(pin); pin = null; }
      lat.value = ""; lng.value = "";
    });
  }
});
