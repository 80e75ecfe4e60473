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

  // Where the results sit beside the form, a ticked box or an option picked with the mouse shows
  // its results at once; the form says so first, for WCAG 3.2.2. A change made with keys in a list
  // or a date (arrow keys, a date typed part by part) waits until the student leaves the field or
  // presses Enter: each key would otherwise reload the page. The search box always waits for Enter.
  if (wide) {
    var note = document.getElementById("filters-auto");
    if (note) note.hidden = false;
    var byKeys = false;
    var pending = null;
    var submitFrom = function (field, next) {
      var target = next && next.id && form.contains(next) ? next : field;
      try { sessionStorage.setItem(KEY, target.id); } catch (e) { /* storage off: no refocus */ }
      form.requestSubmit();
    };
    form.addEventListener("pointerdown", function () { byKeys = false; });
    form.addEventListener("keydown", function (event) {
      byKeys = true;
      if (event.key === "Enter" && event.target.tagName === "SELECT") {
        event.preventDefault();
        pending = null;
        submitFrom(event.target);
      }
    });
    form.addEventListener("change", function (event) {
      var field = event.target;
      if (field.type === "search") return;
      // A date may say it changed only as the student leaves it: then it is time to show.
      var left = document.activeElement !== field;
      if (!byKeys || left || field.type === "checkbox" || field.type === "radio") {
        pending = null;
        submitFrom(field, left ? document.activeElement : null);
      } else {
        pending = field;
      }
    });
    form.addEventListener("focusout", function (event) {
      if (pending === null || event.target !== pending) return;
      var field = pending;
      pending = null;
      submitFrom(field, event.relatedTarget);
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
