// Who else is editing: the list is in the page as rendered; this keeps it fresh while the form is
// open (a POST every data-ping-seconds, and whenever its tab is shown again, answered with the
// list) and says goodbye when the page is left other than by saving. Optional: without it the list still shows who had the record open when the page loaded.
(function () {
  "use strict";
  function start() {
    const box = document.getElementById("editing-presence");
    const form = document.querySelector("#content-main form[method=post]");
    if (!box || !form || !window.fetch) {
      return;
    }
    const status = box.querySelector("[role=status]");
    const url = box.dataset.pingUrl;
    const seconds = Math.max(1, Number(box.dataset.pingSeconds) || 30);
    const body = function (extra) {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
      if (form.elements.edit_state) {
        data.append("edit_state", form.elements.edit_state.value);
      }
      if (extra) {
        data.append(extra, "1");
      }
      return data;
    };
    const ping = function () {
      fetch(url, { method: "POST", body: body(), credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && status.innerHTML.trim() !== html.trim()) {
            status.innerHTML = html;
          }
        })
        .catch(function () {});
    };
    let submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });
    let timer = window.setInterval(ping, seconds * 1000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") {
        ping();
      }
    });
    window.addEventListener("pagehide", function () {
      window.clearInterval(timer);
      // Saving is not leaving: the saved form usually opens again ("Save and continue").
      if (!submitting) {
        navigator.sendBeacon(url, body("gone"));
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        timer = window.setInterval(ping, seconds * 1000);
        ping();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
