/* Try-it page glue. htmx's ws extension sends the forms over the socket and swaps in the partials the
   server renders (chat lines, timeline, inspector); this file renders nothing itself. It shows the
   socket status, starts a conversation when the page has none, keeps the URL on the conversation,
   and lets forms post normally (form mode) while the socket is down. */
(function () {
  "use strict";
  const root = document.getElementById("tryit");
  if (!root) return;
  let live = false;
  // Until the server's first panel arrives, the page has no conversation: a message sent then would
  // go nowhere, and the panel's swap would wipe what was typed. Such a send waits for the panel.
  let starting = false;
  let pending = false;
  let typed = "";

  const panel = () => document.getElementById("tryit-panel");

  function setStatus(isLive) {
    live = isLive;
    const status = document.getElementById("tryit-status");
    if (status) {
      status.textContent = isLive ? "live" : "form mode";
      status.classList.toggle("live", isLive);
    }
    root.dataset.live = isLive ? "true" : "false";
  }

  function markCurrent(item) {
    root.querySelectorAll(".tl-item[aria-current]").forEach((node) => node.removeAttribute("aria-current"));
    if (item) item.setAttribute("aria-current", "true");
  }

  function afterTurn() {
    setStatus(live);  // a new conversation's panel arrives with the status pill in its no-JS state
    const input = document.getElementById("chat-text");
    if (input && !input.value && typed) input.value = typed;  // a new panel replaced the box being typed in
    typed = "";
    if (starting) {
      starting = false;
      const form = document.getElementById("chat-form");
      if (pending && form && input && input.value.trim()) form.requestSubmit();
      pending = false;
    }
    const items = root.querySelectorAll("#timeline .tl-item");
    root.dataset.turns = String(items.length);
    markCurrent(items[items.length - 1]);
    const log = document.getElementById("chat-log");
    if (log) log.scrollTop = log.scrollHeight;
    const url = panel() && panel().dataset.url;
    if (url && url !== location.pathname) history.replaceState(null, "", url);
  }

  root.addEventListener("htmx:wsOpen", (event) => {
    setStatus(true);
    if (!panel().dataset.conversation) {
      starting = true;
      event.detail.socketWrapper.send(JSON.stringify({ type: "start", HEADERS: { "HX-Request": "true" } }));
    }
  });
  root.addEventListener("htmx:wsClose", () => setStatus(false));
  root.addEventListener("htmx:wsBeforeMessage", () => {
    const input = document.getElementById("chat-text");
    typed = input ? input.value : "";
  });
  root.addEventListener("htmx:wsAfterMessage", afterTurn);
  // Without a live socket, the form posts to the page instead (htmx has already cancelled the submit).
  root.addEventListener("htmx:wsConfigSend", (event) => {
    if (starting) {
      event.preventDefault();
      pending = true;
      return;
    }
    if (live) return;
    event.preventDefault();
    const form = event.target.closest("form");
    if (form) form.submit();
  });
  root.addEventListener("htmx:wsAfterSend", (event) => {
    const form = event.target.closest("form");
    const input = form && form.querySelector("#chat-text");
    if (input) input.value = "";
    const details = form && form.closest("details.chat-tools");
    if (details && form.id !== "chat-form") details.open = false;
  });
  root.addEventListener("click", (event) => {
    const link = event.target.closest("#timeline .tl-item");
    if (link) markCurrent(link);
  });

  setStatus(false);
  root.dataset.turns = String(root.querySelectorAll("#timeline .tl-item").length);
})();
