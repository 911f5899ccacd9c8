// Tables on a phone: each row becomes a card of "label: value" lines, so no column hides off-screen.
// A table in a .table-responsive box qualifies when it has one header row whose cells span one
// column each; every body and footer cell gets its column's header as data-label, and portal.css
// lays the rows out as cards below 576 px. A cell spanning several columns (a "none yet" row) keeps
// no label. Without JavaScript, or with data-keep-columns, the table scrolls sideways in its box.
(function () {
  "use strict";

  function labelsOf(table) {
    if (!table.tHead || table.tHead.rows.length !== 1 || table.hasAttribute("data-keep-columns")) return null;
    var labels = [];
    for (var i = 0; i < table.tHead.rows[0].cells.length; i++) {
      var cell = table.tHead.rows[0].cells[i];
      if (cell.colSpan > 1) return null;
      labels.push(cell.textContent.trim().replace(/\s+/g, " "));
    }
    return labels;
  }

  document.querySelectorAll(".table-responsive > table.table").forEach(function (table) {
    var labels = labelsOf(table);
    if (!labels) return;
    var rows = [];
    [].forEach.call(table.tBodies, function (body) {
      rows.push.apply(rows, body.rows);
    });
    if (table.tFoot) rows.push.apply(rows, table.tFoot.rows);
    var fits = rows.every(function (row) {
      var width = 0;
      [].forEach.call(row.cells, function (cell) {
        width += cell.colSpan;
      });
      return width === labels.length;
    });
    if (!fits) return;
    rows.forEach(function (row) {
      var column = 0;
      [].forEach.call(row.cells, function (cell) {
        if (cell.colSpan === 1 && labels[column]) cell.setAttribute("data-label", labels[column]);
        column += cell.colSpan;
      });
    });
    table.classList.add("table-stack");
  });
})();

// A box that narrows a long table to the rows whose first cell holds what is typed, as a
// Vietnamese reader would match it: no matter the case or the tones ("ha tay" finds "Xã Hà Tây").
// <input data-filter-rows="ID"> filters the table whose id is ID; an element with
// data-filter-empty="ID" is shown while no row matches. The folding is window.plainVietnamese,
// which static/checklist.js's search uses too (base.html loads this file on every page).
(function () {
  "use strict";

  function plainVietnamese(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  window.plainVietnamese = plainVietnamese;

  document.querySelectorAll("input[data-filter-rows]").forEach(function (input) {
    var id = input.getAttribute("data-filter-rows");
    var table = document.getElementById(id);
    var empty = document.querySelector('[data-filter-empty="' + id + '"]');
    if (!table) return;
    var rows = [];
    [].forEach.call(table.tBodies, function (body) {
      [].forEach.call(body.rows, function (row) {
        rows.push([row, plainVietnamese(row.cells[0] ? row.cells[0].textContent : "")]);
      });
    });
    input.hidden = false;
    input.addEventListener("input", function () {
      var wanted = plainVietnamese(input.value);
      var shown = 0;
      rows.forEach(function (entry) {
        var match = entry[1].indexOf(wanted) !== -1;
        entry[0].hidden = !match;
        shown += match ? 1 : 0;
      });
      if (empty) empty.hidden = shown > 0;
    });
  });
})();
