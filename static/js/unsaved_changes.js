// Warn before leaving an admin form with unsaved changes. Optional and progressive: without it the
// form works the same; with it, closing the tab or following a link after an edit asks first.
(function () {
  "use strict";
  const form = document.querySelector("#content-main form[method=post]");
  if (!form) {
    return;
  }
  let dirty = false;
  let submitting = false;
  const mark = function () {
    dirty = true;
  };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
