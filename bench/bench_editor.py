"""Graph editor on a 200-step flow in headless Chromium: time to interactive and re-layout after an insert.

The built bundle (static/editor/) is served by Playwright's request routing with the editor API
answered from memory, so the figures measure the front end alone. Run `make frontend` first.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Route, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "static" / "editor"
ORIGIN = "http://bench.flowstudio.test"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
RUNS = 5

PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/editor/editor.css"></head><body>
<div id="flow-editor" data-api-base="/api/assistants/bench/editor" data-assistant="bench" data-flow-id="big"
  data-read-only="false" data-csrf="x" data-flow-url-template="/f/__FLOW__/" data-can-create-slots="true"
  data-can-create-actions="true"></div>
<script type="module" src="/static/editor/editor.js"></script></body></html>"""


def big_flow(total: int = 200) -> dict:
    """A flow of `total` steps: runs of collects and messages, every tenth a branch with nested steps."""
    steps: list[dict] = []
    count = 0
    while count < total:
        n = len(steps)
        if n % 10 == 9 and total - count >= 5:
            steps.append({"id": f"check_{n}", "noop": True, "next": [
                {"if": f"slots.s{n} > 3", "then": [{"action": f"utter_high_{n}"}, {"set_slots": [{f"s{n}": None}], "next": f"after_{n}"}]},
                {"if": f"slots.s{n} is null", "then": [{"action": f"action_fix_{n}", "next": f"after_{n}"}]},
                {"else": f"after_{n}"},
            ]})
            steps.append({"id": f"after_{n}", "action": f"utter_after_{n}"})
            count += 5
        elif n % 3 == 0:
            steps.append({"collect": f"s{n}", "description": f"value number {n}"})
            count += 1
        else:
            steps.append({"action": f"utter_step_{n}"})
            count += 1
    return {"name": "big", "description": "A 200-step flow for the benchmark", "steps": steps}


def count_steps(steps: list) -> int:
    total = 0
    for step in steps:
        total += 1
        for branch in step.get("next") or [] if isinstance(step.get("next"), list) else []:
            target = branch.get("then", branch.get("else"))
            if isinstance(target, list):
                total += count_steps(target)
    return total


def serve(route: Route) -> None:
    url = route.request.url
    path = url[len(ORIGIN):].split("?")[0]
    if path.startswith("/static/editor/"):
        file = BUNDLE / path.rsplit("/", 1)[1]
        kind = "text/css" if file.suffix == ".css" else "text/javascript"
        route.fulfill(status=200, body=file.read_bytes(), headers={"content-type": kind})
    elif path == "/api/assistants/bench/editor/flows/big" and route.request.method == "GET":
        body = {"flow_id": "big", "revision": 1, "updated_by": None, "body": FLOW, "problems": []}
        route.fulfill(status=200, body=json.dumps(body), headers={"content-type": "application/json"})
    elif path == "/api/assistants/bench/editor/catalog":
        body = {"slots": [], "responses": [], "actions": [], "flows": []}
        route.fulfill(status=200, body=json.dumps(body), headers={"content-type": "application/json"})
    elif path.startswith("/api/"):
        # Autosave: answer like the server would, so the editor stays in its normal state.
        route.fulfill(status=200, body=json.dumps({"flow_id": "big", "revision": 2, "updated_by": None,
                                                   "body": FLOW, "problems": []}),
                      headers={"content-type": "application/json"})
    else:
        route.fulfill(status=200, body=PAGE, headers={"content-type": "text/html"})


FLOW = big_flow()

# From the click that inserts a step until the frame showing the new node has been painted:
# poll every frame for a node id that was not there before, then wait one more frame (its
# callback runs only after the frame with the new node was painted).
MEASURE_INSERT = """async () => {
  const stats = window.__editorStats;
  const ids = () => new Set([...document.querySelectorAll('.react-flow__node')].map((n) => n.dataset.id));
  const before = ids();
  const t0 = performance.now();
  document.querySelector('[data-insert="action"]').click();
  await new Promise((done) => {
    const check = () => {
      const added = [...ids()].some((id) => !before.has(id));
      requestAnimationFrame(added ? () => done() : check);
    };
    requestAnimationFrame(check);
  });
  return { total: performance.now() - t0, elk: stats.lastLayoutMs };  // elk = the active layout's own time
}"""

# Navigation start (performance.now() == 0) until the first frame painted after the editor marked
# itself ready (graph laid out, drawn and handlers attached): observed in the page, not by polling.
READY_PROBE = """new MutationObserver((_, obs) => {
  const root = document.getElementById('flow-editor');
  if (!root || root.dataset.ready !== 'true') return;
  obs.disconnect();
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__benchReadyAt = performance.now(); }));
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });"""

# An insert "+" well inside the canvas (React Flow also renders a margin of off-screen elements).
PLUS_IN_VIEW = """(which) => {
  const box = document.querySelector('.fs-canvas').getBoundingClientRect();
  const inside = [...document.querySelectorAll('button.fs-plus')].filter((b) => {
    const r = b.getBoundingClientRect();
    return r.top > box.top + 20 && r.bottom < box.bottom - 20 && r.left > box.left + 20 && r.right < box.right - 20;
  });
  const pick = which === 'last' ? inside[inside.length - 1] : inside[Math.floor(inside.length / 2)];
  pick.setAttribute('data-bench-pick', '1');
  return inside.length;
}"""


LOAD_BREAKDOWN = """() => {
  const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/editor.js'));
  return { ready: window.__benchReadyAt, scriptLoaded: script ? script.responseEnd : 0,
           app: window.__editorStats.interactiveMs };
}"""


def open_insert_menu(page, which: str) -> None:
    page.evaluate("() => document.querySelector('[data-bench-pick]')?.removeAttribute('data-bench-pick')")
    page.evaluate(PLUS_IN_VIEW, which)
    page.locator("button.fs-plus[data-bench-pick]").click()
    page.wait_for_selector('[data-insert="action"]')


def insert_somewhere_visible(page) -> float:
    open_insert_menu(page, "middle")
    return page.evaluate(MEASURE_INSERT)["total"]


def measure(browser, engine: str) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"ready": [], "script": [], "app": [], "insert": [], "layout": [],
                                       "insert_all": []}
    for _ in range(RUNS):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(f"localStorage.setItem('flowstudio.layout', '{engine}')")
        page.add_init_script(READY_PROBE)
        page.route(f"{ORIGIN}/**", serve)
        page.goto(f"{ORIGIN}/editor")
        page.wait_for_selector("#flow-editor[data-ready=true]", state="attached", timeout=30000)
        page.wait_for_function("() => window.__benchReadyAt !== undefined")
        load = page.evaluate(LOAD_BREAKDOWN)
        figures["ready"].append(load["ready"])
        figures["script"].append(load["scriptLoaded"])
        figures["app"].append(load["app"])
        # As opened (large flows open at a readable zoom on their start) ...
        open_insert_menu(page, "last")
        result = page.evaluate(MEASURE_INSERT)
        figures["insert"].append(result["total"])
        figures["layout"].append(result["elk"])
        # ... and zoomed out as far as it goes, with as much of the flow on screen as possible.
        page.keyboard.press("Escape")
        page.locator(".react-flow__controls-fitview").click()
        page.wait_for_timeout(100)
        figures["insert_all"].append(insert_somewhere_visible(page))
        page.close()
    return figures


def main() -> int:
    if not (BUNDLE / "editor.js").exists():
        print("static/editor/editor.js is missing: run `make frontend` first", file=sys.stderr)
        return 1
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        results = {engine: measure(browser, engine) for engine in ("flow", "elk")}
        browser.close()
    med = {engine: {k: statistics.median(v) for k, v in figures.items()} for engine, figures in results.items()}
    flow, elk = med["flow"], med["elk"]
    print(f"flow size: {count_steps(FLOW['steps'])} steps; medians of {RUNS} runs; "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"editor interactive after load: {flow['ready']:.0f} ms (target <= 1000 ms)")
    print(f"  editor.js downloaded at: {flow['script']:.0f} ms; app mount to interactive: {flow['app']:.0f} ms")
    print(f"add a step and re-layout (view as opened): {flow['insert']:.0f} ms (target <= 100 ms)")
    print(f"  of which the structured layout itself: {flow['layout']:.1f} ms")
    print(f"add a step and re-layout (zoomed out, most of the flow drawn): {flow['insert_all']:.0f} ms (target <= 100 ms)")
    print(f"with the optional ELK layered layout: interactive {elk['ready']:.0f} ms, "
          f"add a step {elk['insert']:.0f} ms / zoomed out {elk['insert_all']:.0f} ms (ELK itself {elk['layout']:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
