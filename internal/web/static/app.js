// grunnlag: a little progressive JavaScript. Every page works without it.
"use strict";

// The table explorer shows the new view as soon as a choice changes.
function explorer() {
  var form = document.getElementById("utforsker");
  if (!form) return;
  var timer = null;
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { form.requestSubmit ? form.requestSubmit() : form.submit(); }, 350);
  });
  // "Alle" and "Ingen" buttons for long value lists.
  form.querySelectorAll("fieldset.dim").forEach(function (fs) {
    var boxes = fs.querySelectorAll("input[type=checkbox]");
    if (boxes.length < 4) return;
    var bar = document.createElement("div");
    bar.className = "toggle-all";
    [["Velg alle", true], ["Fjern alle", false]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b[0];
      btn.addEventListener("click", function () {
        boxes.forEach(function (x) { x.checked = b[1]; });
        if (b[1]) form.dispatchEvent(new Event("change"));
      });
      bar.appendChild(btn);
    });
    fs.querySelector("details").before(bar);
  });
}

// While a sync runs, the status box follows its progress.
function syncProgress() {
  var box = document.getElementById("synkstatus");
  if (!box || box.dataset.running !== "true") return;
  function poll() {
    fetch("/api/v1/sync", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (st) {
        if (!st.running) { window.location.reload(); return; }
        // The same texts and figure as the server's (partials.html, SyncStatus.Percent).
        var bar = box.querySelector("progress");
        var pct = st.total ? Math.floor(100 * (st.done + (st.parts_total ? st.parts_done / st.parts_total : 0)) / st.total) : 0;
        if (bar) { bar.value = pct; bar.textContent = pct + " %"; }
        var current = box.querySelector(".sync-current");
        if (current) { current.textContent = st.current ? ": tabell " + st.current + " – " + st.stage : ""; }
        var count = box.querySelector(".sync-count");
        if (count) {
          count.textContent = st.done + " av " + st.total + " tabeller ferdige" +
            (st.parts_total ? "; del " + st.parts_done + " av " + st.parts_total : "") + ".";
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
}

document.addEventListener("DOMContentLoaded", function () {
  explorer();
  syncProgress();
});
