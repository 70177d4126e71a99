// grunnlag: the answer form of the self-assessment saves itself after
// every change. Without this script the form is saved with its button
// (POST, redirect, a notice); with it, the same POST is sent in the
// background with the session's form token in X-CSRF-Token, the form
// takes the new version, and the result is read out in the status region.
// When someone else has saved the principle in the meantime, nothing is
// overwritten: the script stops and offers the server's page that shows
// the stored answers beside the person's own.
"use strict";

(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("feil");
    if (summary) summary.focus();

    var form = document.getElementById("svarskjema");
    if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
    var status = document.getElementById("lagrestatus");
    var version = form.querySelector("input[name=versjon]");
    var csrf = form.querySelector("input[name=csrf]");
    var timer = null;
    var saving = false;
    var again = false;
    var stopped = false;

    function say(text, kind) {
      status.textContent = text;
      status.className = "save-status" + (kind ? " " + kind : "");
    }

    function later(ms) {
      if (stopped) return;
      clearTimeout(timer);
      timer = setTimeout(function () { timer = null; save(); }, ms);
    }

    function save() {
      if (stopped) return;
      if (saving) { again = true; return; }
      saving = true;
      again = false;
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
        keepalive: true,
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf ? csrf.value : "" }
      }).then(function (r) {
        var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return (json ? r.json() : Promise.resolve(null)).then(function (body) {
          return { status: r.status, body: body };
        });
      }).then(function (res) {
        saving = false;
        if (res.status === 200 && res.body) {
          version.value = res.body.version;
          say(res.body.message, "ok");
        } else if (res.status === 409 && res.body && res.body.conflict) {
          conflict(res.body.message);
          return;
        } else if (res.status === 401) {
          stopped = true;
          say("Du er logget ut, og svarene er ikke lagret. Logg inn i en ny fane, og trykk så «Lagre svarene» her.", "bad");
          return;
        } else if (res.body && res.body.message) {
          say(res.body.message, "bad");
        } else {
          say("Ikke lagret. Trykk «Lagre svarene» for å se hva som er galt.", "bad");
        }
        if (again) save();
      }).catch(function () {
        saving = false;
        say("Ikke lagret: fikk ikke kontakt med tjeneren. Trykk «Lagre svarene» for å prøve igjen.", "bad");
      });
    }

    function conflict(message) {
      stopped = true;
      clearTimeout(timer);
      say("Ikke lagret: noen andre har lagret i mellomtiden.", "bad");
      var box = document.createElement("div");
      box.className = "error-summary";
      box.id = "konflikt";
      box.setAttribute("role", "alert");
      box.tabIndex = -1;
      var p = document.createElement("p");
      p.textContent = message;
      box.appendChild(p);
      var show = document.createElement("button");
      show.type = "button";
      show.textContent = "Vis de lagrede svarene";
      // The ordinary post with the version the form was made from: the
      // server answers with the stored answers beside these, and keeps
      // what was written here in the form.
      show.addEventListener("click", function () { form.submit(); });
      box.appendChild(show);
      form.parentNode.insertBefore(box, form);
      box.focus();
    }

    form.addEventListener("change", function () { later(300); });
    form.addEventListener("input", function (ev) {
      if (ev.target.tagName === "TEXTAREA" || ev.target.type === "text") later(2000);
    });
    // Leaving with a change not yet saved: save it now (keepalive lets
    // the request finish after the page is gone).
    window.addEventListener("pagehide", function () {
      if (timer !== null && !stopped) {
        clearTimeout(timer);
        timer = null;
        save();
      }
    });
  });
})();
