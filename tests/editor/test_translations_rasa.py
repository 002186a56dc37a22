"""A studio export with translations is what Rasa Pro 3.21's validator accepts.

The project in tests/exchange/rasa_verdicts/translations_exported/ is exactly what this edit exports
(checked here); its verdict.json was recorded by tools/rasa_oracle/validate.py. After a change to the
export, rewrite the project with `RECORD_TRANSLATION_CASE=1 pytest tests/editor/test_translations_rasa.py`
and re-record the verdict (tests/exchange/rasa_verdicts/README.md).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from studio.accounts.models import Membership
from studio.assistants import services
from studio.assistants.models import Flow, Response
from studio.assistants.responses_csv import responses_csv_apply, responses_csv_export
from studio.assistants.translations import flow_name_translation_save, response_translations_save
from studio.exchange.services import assistant_export, assistant_import

pytestmark = pytest.mark.django_db

VERDICTS = Path(__file__).resolve().parents[1] / "exchange" / "rasa_verdicts"
CASE = VERDICTS / "translations_exported"


def _translated_tutorial(users) -> dict[str, bytes]:
    owner, writer, designer = users["owner"], users["writer"], users["designer"]
    tutorial = VERDICTS / "template_tutorial" / "project"
    assistant = assistant_import(user=owner, source=tutorial, name="Tutorial").assistant
    for role in ("writer", "designer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    assistant = services.assistant_update(user=owner, assistant=assistant,
                                          config_yaml=assistant.config_yaml + "additional_languages: [de, es]\n")
    amount = Response.objects.get(assistant=assistant, name="utter_ask_amount")
    services.response_save(user=writer, assistant=assistant, name="utter_ask_amount", revision=amount.revision,
                           variations=[{**amount.variations[0], "buttons": [
                               {"title": "Ten dollars", "payload": "/SetSlots(amount=10)"},
                               {"title": "Twenty dollars", "payload": "/SetSlots(amount=20)"}]}])
    recipient = Response.objects.get(assistant=assistant, name="utter_ask_recipient")
    response_translations_save(user=writer, assistant=assistant, name="utter_ask_recipient", language="de",
                               texts={"text-0": "An wen möchtest du Geld senden?"}, revision=recipient.revision)
    rows = list(csv.reader(io.StringIO(responses_csv_export(user=writer, assistant=assistant))))
    for row in rows:
        if row[0] == "utter_ask_amount":
            row[5] = {"text": "Wie viel Geld möchtest du senden?", "button 1": "Zehn Dollar",
                      "button 2": "Zwanzig Dollar"}[row[2]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    responses_csv_apply(user=writer, assistant=assistant, data=out.getvalue().encode())
    flow = Flow.objects.get(assistant=assistant, flow_id="transfer_money")
    flow_name_translation_save(user=designer, assistant=assistant, flow_id="transfer_money", language="de",
                               name="Geld senden", revision=flow.revision)
    return assistant_export(user=owner, assistant=assistant)


def test_the_recorded_project_is_the_studio_export_of_the_translation_edits(users):
    exported = _translated_tutorial(users)
    project = CASE / "project"
    if os.environ.get("RECORD_TRANSLATION_CASE"):
        shutil.rmtree(project, ignore_errors=True)
        for path, data in exported.items():
            (project / path).parent.mkdir(parents=True, exist_ok=True)
            (project / path).write_bytes(data)
    on_disk = {str(p.relative_to(project)): p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert on_disk == exported
    domain = exported["domain.yml"].decode()
    assert "          translation:\n            de:\n              title: Zehn Dollar\n" in domain
    assert "      translation:\n        de: An wen möchtest du Geld senden?\n" in domain
    assert "    translation:\n      de:\n        name: Geld senden\n" in exported["data/flows.yml"].decode()


def test_rasa_accepts_the_export_and_only_warns_about_missing_translations():
    verdict = json.loads((CASE / "verdict.json").read_text())
    assert verdict["valid"] is True and verdict["errors"] == []
    # Rasa counts its built-in patterns and their responses too: none of them is translated here.
    assert [w.split(":")[0] for w in verdict["warnings"] if "translation" in w] == [
        "validator.verify_translations.missing_response_translation_summary",
        "validator.verify_translations.missing_flow_translation_summary"]
