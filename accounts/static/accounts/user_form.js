// The account form (accounts/forms.py UserForm), made shorter while the manager picks: only the unit
// pickers the chosen role needs are shown (each <select> lists them in data-roles), the communes
// offered are those of the province chosen (option data-province) and the teams those of the
// commune, else of the province (option data-commune, data-province). Without this script every
// picker shows every unit, and the server still refuses units that do not agree.
(function () {
  "use strict";

  var form = document.querySelector("form[data-user-form]");
  if (!form) return;
  var role = form.elements.role;
  var province = form.elements.province; // administrators only
  var commune = form.elements.commune;
  var team = form.elements.team;

  function wrapper(select) {
    return select.closest("[id^=div_id_]") || select.parentNode;
  }

  // Each picker's full list, kept aside: removed options are hidden on every browser (iOS Safari
  // ignores `hidden` on an <option>).
  function remember(select) {
    if (select) select._all = Array.prototype.slice.call(select.options);
  }

  // Keeps the options whose data-<key> is `value` (every option if `value` is empty) and the empty
  // choice; a chosen option left out is unchosen.
  function narrow(select, filters) {
    if (!select) return;
    var chosen = select.value;
    var kept = select._all.filter(function (option) {
      if (!option.value) return true;
      return filters.every(function (filter) {
        return !filter.value || option.getAttribute("data-" + filter.key) === filter.value;
      });
    });
    var fragment = document.createDocumentFragment();
    kept.forEach(function (option) {
      fragment.appendChild(option);
    });
    select.textContent = "";
    select.appendChild(fragment);
    var still = kept.some(function (option) {
      return option.value === chosen;
    });
    select.value = still ? chosen : "";
  }

  function showPickers() {
    [province, commune, team].forEach(function (select) {
      if (!select || !select.hasAttribute("data-roles")) return;
      var needed = select.getAttribute("data-roles").split(" ").indexOf(role.value) >= 0;
      wrapper(select).hidden = !needed;
    });
  }

  function narrowCommunes() {
    narrow(commune, [{ key: "province", value: province ? province.value : "" }]);
    narrowTeams();
  }

  function narrowTeams() {
    narrow(team, [
      { key: "province", value: province ? province.value : "" },
      { key: "commune", value: commune ? commune.value : "" },
    ]);
  }

  [commune, team].forEach(remember);
  if (role) {
    role.addEventListener("change", showPickers);
    showPickers();
  }
  if (province) province.addEventListener("change", narrowCommunes);
  if (commune) commune.addEventListener("change", narrowTeams);
  narrowCommunes();
})();
