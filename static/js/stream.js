// dangjian — live messages: the notification stream (Server-Sent Events) updates the bell's
// unread badge and shows a toast for each new message, without a reload; each message and each
// new content item is also dispatched on the document ("dj:notification", "dj:content"). EventSource
// reconnects by itself and sends the last event id, so the server replays what was missed.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.dataset.stream;
  if (!url || !window.EventSource) return;
  var cap = 99;

  function setBadge(count) {
    var bell = document.getElementById("dj-bell"); // htmx may have swapped it since
    if (!bell) return;
    var badge = bell.querySelector(".dj-bell-count");
    var icon = bell.querySelector("i");
    if (!count) {
      if (badge) badge.remove();
      if (icon) icon.className = "bi bi-bell";
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "dj-bell-count num";
      badge.setAttribute("aria-hidden", "true");
      bell.appendChild(badge);
    }
    badge.textContent = count > cap ? cap + "+" : String(count);
    if (icon) icon.className = "bi bi-bell-fill";
  }

  function region() {
    var box = document.getElementById("dj-toasts");
    if (!box) {
      box = document.createElement("div");
      box.id = "dj-toasts";
      box.className = "toast-container position-fixed top-0 end-0 p-3";
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    return box;
  }

  function toast(message) {
    var item = document.createElement("div");
    item.className = "toast show";
    item.setAttribute("role", "status");
    var body = document.createElement("div");
    body.className = "toast-body";
    var title = document.createElement(message.link ? "a" : "strong");
    title.textContent = message.title; // text only: never parsed as HTML
    if (message.link && message.link.charAt(0) === "/" && message.link.charAt(1) !== "/") {
      title.href = message.link;
    }
    body.appendChild(title);
    if (message.body) {
      var text = document.createElement("div");
      text.className = "small text-muted text-truncate";
      text.textContent = message.body;
      body.appendChild(text);
    }
    item.appendChild(body);
    region().appendChild(item);
    window.setTimeout(function () { item.remove(); }, 8000);
  }

  var source = new EventSource(url);
  source.addEventListener("notification", function (event) {
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    setBadge(message.unread_count);
    toast(message);
    document.dispatchEvent(new CustomEvent("dj:notification", { detail: message }));
  });
  // New content for this reader went live: the reading pages offer to show it.
  source.addEventListener("content", function (event) {
    var news;
    try { news = JSON.parse(event.data); } catch (e) { return; }
    document.dispatchEvent(new CustomEvent("dj:content", { detail: news }));
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
