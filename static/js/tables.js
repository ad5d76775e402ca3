// A table wider than the screen scrolls inside its box (.bw-table-wrap). Besides the
// shadow at the hidden side, say so in words, once, above the table.
(function () {
  "use strict";
  var hint = document.body.getAttribute("data-bw-table-hint");
  if (!hint) return;
  var wraps = document.querySelectorAll(".bw-table-wrap");
  var update = function () {
    Array.prototype.forEach.call(wraps, function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      var note = wrap.previousElementSibling;
      var has = note && note.classList.contains("bw-table-hint");
      if (wide && !has) {
        note = document.createElement("p");
        note.className = "utrecht-paragraph bw-muted bw-table-hint";
        note.textContent = hint;
        wrap.parentNode.insertBefore(note, wrap);
      } else if (!wide && has) {
        note.remove();
      }
    });
  };
  update();
  window.addEventListener("resize", update);
  // Folded tables (<details>) measure 0 until opened.
  document.addEventListener("toggle", update, true);
})();
