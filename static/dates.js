// Dates and times typed on a phone's number pad, which has no "/" or ":": the separator is
// added after the day, the month and the hour (05 -> 05/, 05/01 -> 05/01/, 17 -> 17:). Who
// types the separator themselves gets only one. The server accepts what is typed either way
// (portal/widgets.py); this only makes it read as it will be stored.
(function () {
  var rules = [
    ["input[data-date]", /^(\d{2}|\d{2}\/\d{2})$/, "/"],
    ["input[data-month]", /^\d{2}$/, "/"],
    ["input[data-time]", /^\d{2}$/, ":"],
  ];
  rules.forEach(function (rule) {
    document.querySelectorAll(rule[0]).forEach(function (input) {
      input.addEventListener("input", function (event) {
        if (!event.data) return;  // deleting or pasting: left as it is
        if (/^\d$/.test(event.data) && rule[1].test(input.value)) input.value += rule[2];
        else if (event.data === rule[2] && input.value.slice(-2) === rule[2] + rule[2]) input.value = input.value.slice(0, -1);
      });
    });
  });
})();
