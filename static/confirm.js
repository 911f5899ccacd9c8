// A form with data-confirm asks before it is sent (sending a report freezes its figures):
// the question is the attribute's text; "Hủy" leaves the page as it was.
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
