/* Try-it chat over the WebSocket. Without a socket the page's forms post normally (form mode). */
(function () {
  "use strict";
  const root = document.getElementById("tryit");
  if (!root || !("WebSocket" in window)) return;
  let socket = null;
  let live = false;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value; else node.setAttribute(key, value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const $ = (sel) => root.querySelector(sel);
  const muted = (text) => el("p", { class: "muted" }, text);
  const json = (value) => JSON.stringify(value);

  function setStatus(isLive) {
    live = isLive;
    const status = $("#tryit-status");
    if (status) {
      status.textContent = isLive ? "live" : "form mode";
      status.classList.toggle("live", isLive);
    }
    root.dataset.live = isLive ? "true" : "false";
  }

  function showError(message) {
    const box = $("#tryit-error");
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  function addBubble(role, text) {
    const log = $("#chat-log");
    const empty = log.querySelector(".chat-empty");
    if (empty) empty.remove();
    log.append(el("li", { class: "bubble " + role }, text));
    log.scrollTop = log.scrollHeight;
  }

  function renderButtons(messages) {
    const box = $("#chat-buttons");
    box.replaceChildren();
    for (const message of messages) {
      for (const b of message.buttons || []) {
        box.append(el("button", { class: "button chat-button", type: "button", "data-payload": b.payload }, b.title));
      }
    }
  }

  function part(name, ...children) {
    const node = root.querySelector(`[data-part="${name}"]`);
    if (node) node.replaceChildren(...children.flat().filter(Boolean));
  }

  function renderLive(liveStep) {
    if (!liveStep) return part("live", muted("No flow is active."));
    part("live",
      el("p", {}, el("code", { class: "flow" }, liveStep.flow_id), " at step ", el("code", { class: "step" }, liveStep.step_id)),
      liveStep.pattern && el("p", { class: "muted" }, "pattern on top: ", el("code", {}, liveStep.pattern)),
      liveStep.editor_url && el("p", {}, el("a", { href: liveStep.editor_url, target: "_blank", rel: "noopener" },
        "Show this step in the flow editor →")));
  }

  function commandItem(command) {
    const extra = Object.entries(command).filter(([k]) => k !== "command")
      .map(([k, v]) => [" ", el("span", { class: "muted" }, k + "="), typeof v === "string" ? v : json(v)]);
    return el("li", {}, el("code", {}, command.command), extra);
  }

  function renderCommands(turn) {
    const u = turn.understanding;
    const children = [turn.commands.length ? el("ul", { class: "insp-list" }, turn.commands.map(commandItem))
      : muted("No commands ran.")];
    if (u) {
      children.push(el("p", { class: "muted" }, "generator ", el("b", {}, u.generator), ` · ${u.latency_ms} ms`,
        u.usage ? ` · tokens ${json(u.usage)}` : ""));
      if (u.error) children.push(el("p", { class: "form-error" }, u.error));
      if (u.rejected && u.rejected.length) {
        children.push(el("p", {}, "Rejected:"), el("ul", { class: "insp-list rejected" },
          u.rejected.map((r) => el("li", {}, el("code", {}, r.command), " — ", r.reason))));
      }
      if (u.prompt) children.push(el("details", {}, el("summary", {}, "Prompt"), el("pre", {}, u.prompt)));
      if (u.raw_output) children.push(el("details", {}, el("summary", {}, "Raw output"), el("pre", {}, u.raw_output)));
    }
    if (turn.stubbed.length) {
      children.push(el("p", { class: "stubbed" }, "Stubbed (no action server): ",
        turn.stubbed.map((name, i) => [i ? ", " : "", el("code", {}, name)])));
    }
    part("commands", children);
  }

  function renderStack(stack) {
    if (!stack.length) return part("stack", muted("The stack is empty."));
    part("stack", el("ol", { class: "insp-list stack" }, stack.map((f) => el("li", { class: "frame frame-" + f.type },
      el("code", {}, f.flow_id), " · ", el("code", { class: "muted" }, f.step_id), " ", el("span", { class: "pill" }, f.type)))));
  }

  function renderSlots(slots, changed) {
    const names = Object.keys(slots);
    if (!names.length) return part("slots", muted("No slots yet."));
    part("slots", el("table", { class: "table slots" }, names.map((name) =>
      el("tr", { class: name in changed ? "changed" : null }, el("td", {}, el("code", {}, name)), el("td", {}, json(slots[name]))))));
  }

  function renderEvents(events) {
    if (!events.length) return part("events", muted("No events yet."));
    part("events", el("ol", { class: "insp-list events" }, events.map((event) => {
      let detail = Object.fromEntries(Object.entries(event).filter(([k]) => k !== "event"));
      if (event.event === "understanding") detail = { generator: detail.generator, commands: detail.commands };
      return el("li", { class: "ev ev-" + event.event }, el("b", {}, event.event), " ",
        Object.keys(detail).length ? el("code", { class: "muted" }, json(detail)) : null);
    })));
  }

  function renderTurn(turn) {
    if (turn.kind !== "message") $("#chat-log").replaceChildren();
    for (const message of turn.messages) {
      if (message.text) addBubble("bot", message.text);
      if (message.image) addBubble("bot", message.image);
    }
    if (turn.error) addBubble("error", turn.error);
    for (const note of turn.external_calls || []) addBubble("note", note);
    renderButtons(turn.messages);
    // The forms keep the conversation, so form mode continues it if the socket drops.
    root.querySelectorAll('input[name="conversation"]').forEach((input) => { input.value = turn.conversation; });
    $("#tryit-source").textContent = turn.source;
    renderLive(turn.live);
    renderCommands(turn);
    renderStack(turn.stack);
    renderSlots(turn.slots, turn.changed_slots);
    renderEvents(turn.events);
    root.dataset.turns = String(Number(root.dataset.turns || 0) + 1);
  }

  function send(frame) {
    showError("");
    socket.send(JSON.stringify(frame));
  }

  function sendText(text, shown) {
    addBubble("user", shown || text);
    $("#chat-buttons").replaceChildren();
    send({ type: "message", text });
  }

  // Capture phase: while live, the socket handles submits before htmx or the browser see them.
  document.addEventListener("submit", (event) => {
    if (!live || !root.contains(event.target)) return;
    event.preventDefault();
    event.stopPropagation();
    const form = event.target;
    if (form.querySelector('input[name="action"][value="reset"]')) {
      send({ type: "reset" });
    } else if (form.id === "chat-form") {
      const input = form.querySelector('input[name="text"]');
      const text = input.value;
      if (!text.trim()) return;
      input.value = "";
      sendText(text);
    } else {
      const button = form.querySelector("button");
      sendText(form.querySelector('input[name="text"]').value, button && button.textContent);
    }
  }, true);

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button.chat-button[type=button]");
    if (!button) return;
    if (live) {
      sendText(button.dataset.payload, button.textContent);
    } else {
      // The socket dropped after these buttons were drawn: post the payload through the form.
      const form = $("#chat-form");
      form.querySelector('input[name="text"]').value = button.dataset.payload;
      form.requestSubmit();
    }
  });

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
    socket.addEventListener("open", () => {
      setStatus(true);
      send({ type: "start" });
    });
    socket.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "turn") renderTurn(frame);
      else if (frame.type === "error") showError(frame.message);
    });
    socket.addEventListener("close", () => setStatus(false));
  }
  setStatus(false);
  connect();
})();
