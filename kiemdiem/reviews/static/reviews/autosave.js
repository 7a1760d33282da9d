// Autosave of the self-review draft: posts the whole form to the save endpoint a few
// seconds after a change (and when the page is hidden), then shows "Đã lưu lúc hh:mm".
// Without JavaScript the "Lưu nháp" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("rv-form");
  if (!form || !form.dataset.autosave) return;
  var status = form.querySelector("[data-status]");
  var rated = form.querySelector("[data-rated]");
  var timer = null, dirty = false, busy = false;

  function show(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("rv-error", !!isError);
  }

  function countRated() {
    if (!rated) return;
    var names = {};
    form.querySelectorAll('input[type=radio][name^="m_"]:checked').forEach(function (i) { names[i.name] = 1; });
    rated.textContent = Object.keys(names).length;
  }

  function save() {
    if (!dirty || busy) return;
    dirty = false; busy = true;
    show("Đang lưu…");
    var body = new FormData(form);
    body.delete("op");
    fetch(form.dataset.autosave, { method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, d: d }; }); })
      .then(function (res) {
        if (res.ok) show("Đã lưu lúc " + res.d.saved_at);
        else show("Chưa lưu được: " + (res.d.errors || []).join(" "), true);
      })
      .catch(function () { dirty = true; show("Mất kết nối, sẽ lưu lại sau.", true); })
      .then(function () { busy = false; });
  }

  function changed() {
    dirty = true;
    countRated();
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  setInterval(save, 15000);
  document.addEventListener("visibilitychange", function () { if (document.hidden) save(); });
})();
