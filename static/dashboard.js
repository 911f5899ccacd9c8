// Draws the dashboard's month-by-month chart from the figures the page passes with json_script;
// the same figures are in the table beneath the chart.
(function () {
  var source = document.getElementById("trend-data");
  var canvas = document.getElementById("trend-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Số hoạt động", data: data.activities, yAxisID: "y" },
        { label: "Số người được hỗ trợ", data: data.people, type: "line", yAxisID: "people" },
      ],
    },
    options: {
      animation: false,
      // The box (.chart-box in portal.css) gives the height, so a phone's chart is not squashed.
      maintainAspectRatio: false,
      locale: "vi-VN",
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 } },
        people: { beginAtZero: true, position: "right", ticks: { precision: 0 } },
      },
    },
  });
})();
