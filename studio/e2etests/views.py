"""The tests page: list, view/edit, delete, generate, run; every form works without JavaScript."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from studio.accounts.permissions import CAN_READ, role_for
from studio.assistants.selectors import assistant_get_for_user, flow_get
from studio.core.exceptions import Conflict, NotFound, ValidationFailed
from studio.core.pages import domain_errors_as_pages
from studio.e2etests import services
from studio.e2etests.models import TestRun
from studio.e2etests.runs import GENERATORS, default_generator
from studio.tryit.overlay import overlay_json


def _page_url(assistant) -> str:
    return reverse("e2e_tests", args=[assistant.slug])


def _context(request: HttpRequest, assistant, run: TestRun | None = None) -> dict:
    run = run or services.latest_run(assistant)
    return {"assistant": assistant, "files": services.test_file_list(user=request.user, assistant=assistant),
            "run": run, "done": run.total if run else 0, "total": run.total if run else 0,
            "coverage": services.unreached_steps(services.latest_full_run(assistant)),
            "can_write": role_for(request.user, assistant) in services.CAN_WRITE_TESTS,
            "ws_path": f"/ws/assistants/{assistant.slug}/tests/",
            "generators": GENERATORS, "default_generator": default_generator(assistant)}


@login_required
@domain_errors_as_pages
def tests_page(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    context = _context(request, assistant)
    if request.htmx and request.GET.get("partial") == "run-status":
        return TemplateResponse(request, "e2etests/tests.html#run-status", context)
    return TemplateResponse(request, "e2etests/tests.html", context)


@login_required
@require_POST
@domain_errors_as_pages
def run_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    services.test_run_create(user=request.user, assistant=assistant, generator=request.POST.get("generator", ""),
                             path=request.POST.get("path", ""), case=request.POST.get("case", ""))
    return redirect(_page_url(assistant) + "#run")


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def case_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    path, name = request.GET.get("file", ""), request.GET.get("case", "")
    case_yaml, revision = services.test_case_get(user=request.user, assistant=assistant, path=path, name=name)
    context = {"assistant": assistant, "path": path, "name": name, "yaml": case_yaml, "revision": revision,
               "can_write": role_for(request.user, assistant) in services.CAN_WRITE_TESTS, "error": ""}
    status = 200
    if request.method == "POST":
        context["yaml"] = request.POST.get("yaml", "")
        try:
            services.test_case_save(user=request.user, assistant=assistant, path=path, name=name,
                                    case_yaml=context["yaml"], revision=request.POST.get("revision", ""))
            return redirect(_page_url(assistant))
        except (ValidationFailed, Conflict) as exc:
            context["error"], status = _message(exc), exc.status
    return TemplateResponse(request, "e2etests/case.html", context, status=status)


def _message(exc) -> str:
    if isinstance(exc, ValidationFailed):
        return "; ".join(p.msg for p in exc.problems)
    return exc.message


@login_required
@require_POST
@domain_errors_as_pages
def case_delete_view(request: HttpRequest, slug: str) -> HttpResponse:
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    services.test_case_delete(user=request.user, assistant=assistant, path=request.POST.get("file", ""),
                              name=request.POST.get("case", ""), revision=request.POST.get("revision", ""))
    return redirect(_page_url(assistant))


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def generate_view(request: HttpRequest, slug: str) -> HttpResponse:
    """GET previews the generated file; POST saves it."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    generator = request.POST.get("generator") or request.GET.get("generator") or default_generator(assistant)
    if request.method == "POST":
        services.tests_generate_save(user=request.user, assistant=assistant, generator=generator)
        return redirect(_page_url(assistant))
    text, skipped = services.tests_generate_preview(user=request.user, assistant=assistant, generator=generator)
    return TemplateResponse(request, "e2etests/generate.html",
                            {"assistant": assistant, "text": text, "skipped": skipped, "generator": generator,
                             "path": services.e2e.GENERATED_PATH})


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors_as_pages
def conversation_test_view(request: HttpRequest, slug: str, conversation_id: int) -> HttpResponse:
    """GET downloads the conversation as an e2e test file; POST saves it into the assistant's tests."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    turns = services.conversation_turns(user=request.user, assistant=assistant, conversation_id=conversation_id)
    name = request.POST.get("name") or request.GET.get("name") or f"conversation_{conversation_id}"
    if request.method == "POST":
        services.conversation_test_save(user=request.user, assistant=assistant, turns=turns, name=name)
        return redirect(_page_url(assistant))
    text = services.conversation_test_text(assistant=assistant, turns=turns, name=name)
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{services.case_name(name)}.yml"'
    return response


@login_required
@require_http_methods(["GET"])
@domain_errors_as_pages
def coverage_graph_view(request: HttpRequest, slug: str, flow_id: str) -> HttpResponse:
    """The flow drawn read-only by the editor's renderer, the steps the latest full run reached and
    those it never reached marked (the same page and overlay as try-it's path taken)."""
    assistant = assistant_get_for_user(request.user, slug, *CAN_READ)
    flow = flow_get(assistant, flow_id)
    run = services.latest_full_run(assistant)
    coverage = (run.coverage or {}).get(flow.flow_id) if run else None
    if coverage is None:
        raise NotFound(f"No full test run has covered flow '{flow.flow_id}' yet: run all tests first.")
    unreached = [s for s in coverage["steps"] if s not in coverage["reached"]]
    return TemplateResponse(request, "tryit/flow_view.html", {
        "assistant": assistant, "flow": flow, "api_base": f"/api/assistants/{assistant.slug}/editor",
        "overlay": overlay_json("coverage", coverage["reached"], unreached), "back_url": _page_url(assistant) + "#coverage",
        "flow_url_template": reverse("e2e_coverage_graph", kwargs={"slug": assistant.slug, "flow_id": "__FLOW__"})})
