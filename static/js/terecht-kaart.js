// The resident's card (templates/terecht/kaart.html): share it with the phone's own
// share sheet (Web Share), copy its link, or print it. Without this script the link
// stays on the page to copy by hand, and the browser prints as usual.
(function () {
  "use strict";
  var box = document.querySelector("[data-bw-share]");
  if (!box) return;
  var input = document.getElementById("kaart-link");
  var status = box.querySelector("[data-bw-share-status]");
  var share = box.querySelector("[data-bw-share-button]");
  var copy = box.querySelector("[data-bw-copy-button]");
  var print = box.querySelector("[data-bw-print-button]");
  var url = input ? input.value : window.location.href;
  if (navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({ title: box.dataset.bwTitle, url: url }).catch(function () {});
    });
  }
  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(url).then(function () {
        status.textContent = box.dataset.bwCopied;
      });
    });
  }
  if (window.print) {
    print.hidden = false;
    print.addEventListener("click", function () {
      window.print();
    });
  }
})();
