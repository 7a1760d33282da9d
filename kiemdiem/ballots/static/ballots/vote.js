(function () {
  // A QR slip carries the code in the fragment (#code=...), which the browser never sends:
  // fill the field, then drop it from the address bar and the history.
  var m = /(?:^#|&)code=([A-Za-z0-9]{1,32})/.exec(location.hash);
  if (m) {
    document.getElementById("code").value = m[1].toUpperCase();
    history.replaceState(null, "", location.pathname + location.search);
  }
})();
