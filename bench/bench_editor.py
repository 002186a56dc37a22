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

MEASURE_INSERT = """async () => {
  const stats = window.__editorStats;
  const before = stats.layouts;
  const t0 = performance.now();
  document.querySelector('[data-insert="action"]').click();
  await new Promise((done) => {
    const check = () => (stats.layouts > before ? requestAnimationFrame(() => done()) : requestAnimationFrame(check));
    check();
  });
  return { total: performance.now() - t0, elk: stats.lastLayoutMs };  // elk = the active layout's own time
}"""


LOAD_BREAKDOWN = """() => {
  const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/editor.js'));
  return { ready: performance.now(), scriptLoaded: script ? script.responseEnd : 0,
           app: window.__editorStats.interactiveMs };
}"""


def insert_somewhere_visible(page) -> float:
    buttons = page.locator("button.fs-plus")
    buttons.nth(buttons.count() // 2).click()
    return page.evaluate(MEASURE_INSERT)["total"]


def measure(browser, engine: str) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"ready": [], "script": [], "app": [], "insert": [], "layout": [],
                                       "insert_all": []}
    for _ in range(RUNS):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(f"localStorage.setItem('flowstudio.layout', '{engine}')")
        page.route(f"{ORIGIN}/**", serve)
        page.goto(f"{ORIGIN}/editor")
        page.wait_for_selector("#flow-editor[data-ready=true]", state="attached", timeout=30000)
        load = page.evaluate(LOAD_BREAKDOWN)
        figures["ready"].append(load["ready"])
        figures["script"].append(load["scriptLoaded"])
        figures["app"].append(load["app"])
        # As opened (large flows open at a readable zoom on their start) ...
        page.locator("button.fs-plus").last.click()
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
