// dangjian — "new content" banner on the reading pages. The notification stream
// (static/js/stream.js) dispatches "dj:content" when an item goes live for this reader and
// "dj:notification" for each inbox message (a notice links to its item); the banner offers to
// show the new item. The toasts stream.js adds are watched too, as a fallback.
(function () {
  "use strict";

  var banner = document.getElementById("dj-new-content");
  if (!banner) return;
  var link = banner.querySelector("[data-new-link]");
  var ITEM = /^\/content\/\d+\/$/;
  var seen = {};

  function show(href, title) {
    if (!href || !ITEM.test(href) || href === window.location.pathname || seen[href]) return;
    seen[href] = true;
    // On a feed the page itself is reloaded, the new item on top; elsewhere the banner leads
    // to the new item.
    if (banner.dataset.follow === "item") link.href = href;
    if (title) link.title = title;
    banner.hidden = false;
  }

  document.addEventListener("dj:notification", function (event) {
    var message = event.detail || {};
    show(message.link, message.title);
  });
  // An item that went live for this reader, whether or not it went to the inboxes.
  document.addEventListener("dj:content", function (event) {
    var news = event.detail || {};
    show(news.link, news.title);
  });

  function scan(node) {
    if (node.nodeType !== 1) return;
    var anchors = node.matches("a[href]") ? [node] : node.querySelectorAll("a[href]");
    Array.prototype.forEach.call(anchors, function (a) {
      if (a.closest(".toast")) show(a.getAttribute("href"), a.textContent);
    });
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      Array.prototype.forEach.call(record.addedNodes, scan);
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
