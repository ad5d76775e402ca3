/* The ballot: show what the chosen plans cost together, against the budget.
   The server checks it again; this only helps while choosing. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-bw-budget]");
  if (!form) return;
  var budget = parseInt(form.getAttribute("data-bw-budget"), 10);
  var out = form.querySelector(".bw-budget-sum");
  var format = new Intl.NumberFormat(document.documentElement.lang || "nl", {
    style: "currency", currency: "EUR", maximumFractionDigits: 0
  });
  function amountOf(box) {
    var label = form.querySelector("label[for='" + box.id + "']");
    var match = label ? label.textContent.match(/€\s*([\d.]+)\s*$/) : null;
    return match ? parseInt(match[1].replace(/\./g, ""), 10) : 0;
  }
  function update() {
    var total = 0;
    form.querySelectorAll("input[type=checkbox][name=aanvragen]").forEach(function (box) {
      if (box.checked) total += amountOf(box);
    });
    out.hidden = false;
    out.textContent = out.getAttribute("data-bw-budget-label") + ": " +
      format.format(total) + " / " + format.format(budget) + "." +
      (total > budget ? " " + out.getAttribute("data-bw-budget-over") : "");
  }
  form.addEventListener("change", update);
  update();
})();
