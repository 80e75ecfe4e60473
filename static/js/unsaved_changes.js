// Warn before leaving an admin change form with unsaved changes. Optional and progressive: without
// it the form works the same; with it, closing the tab or following a link after an edit asks
// first. Loaded with `defer` (templates/admin/change_form.html), so the form exists when it runs.
// What counts is the form's content: what it held when the page was shown against what it holds
// now (any widget, autocompletes and added rows included). A page showing errors holds edits
// that were not saved (a refused or mistaken save), so leaving it asks too.
(function () {
  "use strict";
  function watch() {
    const form = document.querySelector("#content-main form[method=post]");
    if (!form) {
      return;
    }
    const contents = function () {
      const data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      return new URLSearchParams(data).toString();
    };
    const shown = contents();
    const unsaved = document.querySelector("#content-main .errornote") !== null;
    let submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && (unsaved || contents() !== shown)) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
