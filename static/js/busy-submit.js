// A form marked data-busy (a large import) says that the work is under way once it is sent,
// and ignores a second click while the server is still working on the first.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-busy")) {
    return;
  }
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("aria-busy", "true");
  var note = form.querySelector(".busy-note");
  if (note) {
    note.hidden = false;
  }
});
