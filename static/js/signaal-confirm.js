// Confirm page of a new or changed signal: the text is scrubbed (and embedded) by a
// worker after the page is shown. Ask the server for the changing parts until they are
// done, and swap a part only when its state changed (each sits in a polite live region,
// so a screen reader reads the new text once). Without JavaScript the page has a link
// that reloads it. Plain ES5 and fetch, for old phones.
(function () {
  "use strict";
  var root = document.querySelector("[data-bw-status-url]");
  if (!root || !window.fetch || !window.DOMParser) return;

  var url = root.getAttribute("data-bw-status-url");
  var delay = 1000; // ms; grows to MAX_DELAY
  var MAX_DELAY = 10000;
  var stopAt = Date.now() + 5 * 60 * 1000; // then the link stays the way to ask

  function waiting() {
    return root.querySelector("[data-bw-part][data-bw-poll]") !== null;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var parts = fresh.querySelectorAll("[data-bw-part]");
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var name = part.getAttribute("data-bw-part");
      var holder = root.querySelector('[data-bw-holder="' + name + '"]');
      if (!holder) continue;
      var current = holder.querySelector("[data-bw-part]");
      var changed =
        !current ||
        current.getAttribute("data-bw-state") !== part.getAttribute("data-bw-state");
      if (changed) {
        while (holder.firstChild) holder.removeChild(holder.firstChild);
        holder.appendChild(document.importNode(part, true));
      } else if (!part.hasAttribute("data-bw-poll")) {
        current.removeAttribute("data-bw-poll");
      }
    }
  }

  function ask() {
    fetch(url, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        // 404: withdrawn meanwhile (or not ours); stop and leave the page as it is.
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        swap(html);
        next();
      })
      .catch(function () {
        next(); // offline for a moment: try again a little later
      });
  }

  function next() {
    if (!waiting() || Date.now() > stopAt) return;
    window.setTimeout(ask, delay);
    delay = Math.min(MAX_DELAY, Math.round(delay * 1.5));
  }

  next();
})();
