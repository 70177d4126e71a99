// grunnlag: a little progressive JavaScript. Every page works without it.
"use strict";

// The table explorer applies each choice without reloading the page: it
// fetches the new view, swaps in the parts that changed (notices, chart,
// downloads, table), brings the form in line with what the server made of
// the choice, and puts the view's address in the address bar. Focus and
// scroll stay where they were; a status line tells screen readers. Without
// JavaScript the form's button shows the view as a new page.
function explorer() {
  var form = document.getElementById("utforsker");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams || !history.replaceState) return;
  var regions = ["utforsker-merknader", "diagram", "nedlasting-seksjon", "tabell-seksjon"];
  var status = document.getElementById("utforsker-status");
  var timer = null, seq = 0;

  function address() {
    var q = new URLSearchParams(new FormData(form)).toString();
    return form.getAttribute("action") + (q ? "?" + q : "");
  }

  function apply() {
    var url = address(), mine = ++seq;
    form.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("status " + r.status);
        return r.text();
      })
      .then(function (text) {
        if (mine !== seq) return; // a newer choice is on its way
        var doc = new DOMParser().parseFromString(text, "text/html");
        var active = document.activeElement, activeID = active && active.id;
        regions.forEach(function (id) {
          var cur = document.getElementById(id), next = doc.getElementById(id);
          if (cur && next) cur.replaceWith(document.importNode(next, true));
        });
        syncForm(doc);
        if (activeID && !document.body.contains(active)) {
          var again = document.getElementById(activeID);
          if (again) again.focus({ preventScroll: true });
        }
        history.replaceState(null, "", url);
        form.removeAttribute("aria-busy");
        var rows = document.querySelectorAll("#datatabell tbody tr").length;
        if (status) status.textContent = "Utsnittet er oppdatert. Tabellen har " + rows + (rows === 1 ? " rad." : " rader.");
      })
      .catch(function () { window.location.assign(url); });
  }

  // syncForm sets the controls to the state the server's page has, without
  // replacing them (so the focused one keeps focus).
  function syncForm(doc) {
    var next = doc.getElementById("utforsker");
    if (!next) return;
    next.querySelectorAll("input[id], select[id]").forEach(function (n) {
      var cur = document.getElementById(n.id);
      if (!cur) return;
      if (n.type === "checkbox") cur.checked = n.checked;
      else cur.value = n.value;
    });
    next.querySelectorAll("summary[id]").forEach(function (n) {
      var cur = document.getElementById(n.id);
      if (cur) cur.textContent = n.textContent;
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(apply, 300);
  }
  // Controls may sit outside the form (form="utforsker"), so listen on the
  // document and pick the form's own.
  document.addEventListener("change", function (e) {
    if (e.target && e.target.form === form) later();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    apply();
  });
  // "Velg alle" and "Fjern alle" buttons for long value lists.
  form.querySelectorAll("fieldset.dim").forEach(function (fs) {
    var boxes = fs.querySelectorAll("input[type=checkbox]");
    if (boxes.length < 4) return;
    var bar = document.createElement("div");
    bar.className = "toggle-all";
    [["Velg alle", true], ["Fjern alle", false]].forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b[0];
      btn.setAttribute("aria-label", b[0] + ": " + fs.querySelector("legend").textContent);
      btn.addEventListener("click", function () {
        boxes.forEach(function (x) { x.checked = b[1]; });
        later();
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
