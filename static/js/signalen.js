// Quick-log form: a character counter for the text and fresh buurt choices when the
// wijk changes. Without JavaScript the form still works (the server filters buurten).
(function () {
  "use strict";
  var form = document.querySelector(".bw-signaal-form");
  if (!form) return;

  var text = form.querySelector("textarea[data-bw-counter]");
  var counter = document.getElementById("id_text_counter");
  if (text && counter) {
    var limit = parseInt(text.getAttribute("data-bw-counter"), 10);
    var update = function () {
      var left = limit - text.value.length;
      counter.textContent = text.value.length + " / " + limit;
      counter.classList.toggle("bw-signaal-counter--over", left < 0);
    };
    // Place the counter right under the textarea.
    text.parentNode.appendChild(counter);
    counter.hidden = false;
    text.addEventListener("input", update);
    update();
  }

  var wijk = form.querySelector("select[name=wijk]");
  var buurt = form.querySelector("select[name=buurt]");
  var url = form.getAttribute("data-buurt-url");
  if (wijk && buurt && url) {
    wijk.addEventListener("change", function () {
      fetch(url + "?wijk=" + encodeURIComponent(wijk.value), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) return;
          var holder = document.createElement("select");
          holder.innerHTML = html;
          buurt.replaceChildren.apply(buurt, Array.prototype.slice.call(holder.options));
          // A new wijk starts at "Hele wijk of weet ik niet" (the empty first choice);
          // without this the browser keeps the last option selected, a buurt the
          // professional never chose.
          buurt.value = "";
          buurt.selectedIndex = 0;
        });
    });
  }
})();
