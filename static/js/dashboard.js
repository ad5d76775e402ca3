/* Officers' dashboard: the print button opens the chart's data table first. */
(function () {
  "use strict";

  document.querySelectorAll("[data-bw-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // Printing always shows the data tables, whatever the reader left folded.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.bw-print-open").forEach(function (el) {
      el.dataset.wasOpen = el.open ? "1" : "";
      el.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details.bw-print-open").forEach(function (el) {
      el.open = el.dataset.wasOpen === "1";
    });
  });
})();
