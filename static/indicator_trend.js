// Draws an indicator's trend (the province's rate at each request, and its target) from the
// figures the page passes with json_script; the same figures are in the table beneath.
(function () {
  var source = document.getElementById("indicator-trend-data");
  var canvas = document.getElementById("indicator-trend-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.label + " (%)", data: data.province, spanGaps: true },
        { label: "Mục tiêu (%)", data: data.targets, borderDash: [6, 4], spanGaps: true },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      locale: "vi-VN",
      scales: { y: { beginAtZero: true, suggestedMax: 100 } },
    },
  });
})();
