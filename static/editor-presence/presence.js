// Presence on server-rendered pages (the response editor, the flow and response lists): who else has
// the item open, and saves by others. Every page works without it; this only adds the live hints.
// Reads its settings from a [data-presence] element: data-presence-path (the socket path),
// data-presence-refresh (a selector htmx re-fetches when something is saved) or data-presence-item.
(function () {
  "use strict";
  var box = document.querySelector("[data-presence]");
  if (!box) return;
  var users = box.querySelector("[data-presence-users]");
  var saved = box.querySelector("[data-presence-saved]");
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + location.host + box.getAttribute("data-presence-path");
  var refresh = box.getAttribute("data-presence-refresh");
  var item = box.getAttribute("data-presence-item");
  var myRevision = Number(box.getAttribute("data-presence-revision") || "0");
  var heartbeat = 0;

  function names(list) {
    if (list.length < 2) return list.join("");
    return list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function onSaved(event) {
    if (item !== null) {
      if (event.name !== item || event.revision <= myRevision) return;
      saved.textContent = (event.by || "Someone") + " saved revision " + event.revision +
        ". Saving merges your changes with it; ";
      var link = document.createElement("a");
      link.href = location.href;
      link.textContent = "reload to see it";
      saved.appendChild(link);
      saved.hidden = false;
      return;
    }
    saved.textContent = (event.by || "Someone") + " saved " + event.name + " (revision " + event.revision + ").";
    saved.hidden = false;
    if (refresh && window.htmx) {
      window.htmx.ajax("GET", location.href, { target: refresh, select: refresh, swap: "outerHTML" });
    }
  }

  function open() {
    var socket = new WebSocket(url);
    socket.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.type === "hello") {
        clearInterval(heartbeat);
        heartbeat = setInterval(function () { socket.send(JSON.stringify({ type: "heartbeat" })); },
          (event.heartbeat || 20) * 1000);
      } else if (event.type === "presence" && users) {
        users.textContent = event.users.length
          ? names(event.users) + (event.users.length === 1 ? " is" : " are") + " also editing this" : "";
      } else if (event.type === "saved" && saved) {
        onSaved(event);
      }
    };
    socket.onclose = function (event) {
      clearInterval(heartbeat);
      if (event.code < 4400 || event.code >= 4500) setTimeout(open, 5000);  // 44xx: refused, do not retry
    };
  }
  open();
})();
