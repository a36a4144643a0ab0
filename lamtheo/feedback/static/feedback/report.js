// The citizen's form: "Use my position" fills the latitude and longitude from the phone's location (asked
// only on a click; nothing is sent anywhere else). Without JavaScript the two boxes are typed by hand.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("use-position");
  var lat = document.querySelector("[data-map=lat]");
  var lon = document.querySelector("[data-map=lon]");
  if (!button || !lat || !lon || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("position-status");
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      status.textContent = button.dataset.done;
    }, function () {
      status.textContent = button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
});
