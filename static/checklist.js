// A long list of check boxes (the communes a request asks): a search box that hides the
// names that do not match (without tones or case: "dan dien" finds "Xã Đan Điền"), buttons
// that tick or untick every name shown, and a count of those ticked.
(function () {
  var plain = window.plainVietnamese; // static/tables.js, loaded by base.html before this file
  document.querySelectorAll("[data-checklist]").forEach(function (list) {
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    var count = list.querySelector("[data-checked-count]");
    function item(box) { return box.closest(".form-check") || box.parentNode; }
    function shown(box) { return !item(box).hidden; }
    function recount() {
      if (count) count.textContent = boxes.filter(function (box) { return box.checked; }).length;
    }
    list.querySelector("[data-checklist-search]").addEventListener("input", function (event) {
      var wanted = plain(event.target.value.trim());
      boxes.forEach(function (box) { item(box).hidden = wanted && plain(item(box).textContent).indexOf(wanted) < 0; });
    });
    list.querySelector("[data-check-all]").addEventListener("click", function () {
      boxes.forEach(function (box) { if (shown(box)) box.checked = true; });
      recount();
    });
    list.querySelector("[data-uncheck-all]").addEventListener("click", function () {
      boxes.forEach(function (box) { if (shown(box)) box.checked = false; });
      recount();
    });
    list.addEventListener("change", recount);
    recount();
  });
})();
