// Draws every chart whose figure the page carries as JSON (<script type="application/json">).
// The table under each chart stays in the page; it is closed once the chart is drawn.
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      var config = { displaylogo: false, responsive: true, locale: "ja",
                     modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"] };
      Plotly.newPlot(element, figure.data, figure.layout || {}, config).then(function () {
        element.dataset.drawn = "true";
        var table = element.closest("figure").querySelector("details.chart-table");
        if (table) table.open = false;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
