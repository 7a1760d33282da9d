(function () {
  // The codes exist only in this page: the projector shows them one at a time, nothing is sent.
  var box = document.getElementById("projector"), slides = box.querySelectorAll(".proj-slide"), at = -1;
  function show(n) { slides.forEach(function (s, i) { s.hidden = i !== n; }); at = n; }
  document.getElementById("projector-open").onclick = function () { box.hidden = false; show(0); };
  document.getElementById("projector-next").onclick = function () { show((at + 1) % slides.length); };
  document.getElementById("projector-close").onclick = function () { box.hidden = true; };
})();
