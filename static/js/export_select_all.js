// The "select all" box of django-import-export's export page, wired here instead of by its
// inline onchange attribute (the Content-Security-Policy allows no inline script).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    if (typeof onSelectToggleChange === "function") {
      toggle.addEventListener("change", onSelectToggleChange);
    }
  });
});
