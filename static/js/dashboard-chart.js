/* Officers' dashboard: stacked bar chart per block of weeks (Chart.js). The data holds
   shown values only; a cell that is not shown arrives as 0 with a note ("bij overige",
   "verborgen") that the tooltip says. The same figures are in the table under the
   chart. */
(function () {
  "use strict";

  var COLOURS = ["#1d4d8b", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
                 "#6b6b6b", "#d55e00", "#7a7a00", "#0072b2", "#994f00", "#6d4c9f"];

  function init(canvas) {
    var source = document.getElementById(canvas.dataset.bwChart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data) { return; }
    var datasets = data.datasets.map(function (set, i) {
      return {
        label: set.label,
        data: set.data,
        notes: set.notes,
        backgroundColor: COLOURS[i % COLOURS.length],
        borderWidth: 0,
        stack: "signalen"
      };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var note = ctx.dataset.notes[ctx.dataIndex];
                return ctx.dataset.label + ": " + (note || ctx.formattedValue);
              }
            }
          }
        }
      }
    });
  }

  document.querySelectorAll("canvas[data-bw-chart]").forEach(init);
})();
