/* Optional enhancement of the programme filters; the form works the same without it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (!form) return;
  var KEY = "filters-focus";
  var panel = form.closest("details");
  var wide = window.matchMedia("(min-width: 56rem)").matches;

  // Wide screens show the closed disclosure with ::details-content; older browsers need it opened.
  if (panel && wide && !CSS.supports("selector(::details-content)")) panel.open = true;

  // Where the results sit beside the form, a changed choice shows its results at once (the form
  // says so first, for WCAG 3.2.2); typing in the search box still waits for Enter.
  if (wide) {
    var note = document.getElementById("filters-auto");
    if (note) note.hidden = false;
    form.addEventListener("change", function (event) {
      var field = event.target;
      if (field.type === "search") return;
      try { sessionStorage.setItem(KEY, field.id); } catch (e) { /* storage off: no refocus */ }
      form.requestSubmit();
    });
  }

  // A shared address carries only the choices made: empty fields are left out of the query.
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value === "" && field.type !== "submit") {
        field.disabled = true;
      }
    });
  });

  // After Back (or Forward), the form shows what the results on the page were filtered by: the
  // server rendered those choices as the fields' defaults, so a reset restores them, and fields
  // disabled on submit are enabled again.
  window.addEventListener("pageshow", function () {
    form.reset();
    Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
  });

  // After that reload, the keyboard focus goes back to the field that was changed.
  try {
    var id = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    var changed = id && document.getElementById(id);
    if (changed) changed.focus();
  } catch (e) { /* storage off */ }
})();
