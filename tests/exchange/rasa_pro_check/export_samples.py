"""Export sample projects through the studio (import, edit, export) for checking with real Rasa Pro."""
import os, sys, shutil, tempfile
from pathlib import Path
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
tmp = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/db.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "studio.settings"
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from studio.exchange import services
from studio.assistants import services as a
from studio.assistants.models import Flow
user = get_user_model().objects.create(username="checker", is_superuser=True)
OUT = ROOT / "var" / "exchange_check" / "out"; shutil.rmtree(OUT, ignore_errors=True)
conf = ROOT / "tests" / "engine" / "conformance"
projects = {n: conf / n / "project" for n in ("library_desk", "pizza_shop", "utility_account")}
projects |= {n: ROOT / "tests" / "fixtures" / "projects" / n for n in ("bank_split", "helpdesk_single")}
for name, path in projects.items():
    assistant = services.assistant_import(user=user, source=path, name=name).assistant
    services.export_to_directory(services.assistant_export(user=user, assistant=assistant), OUT / f"{name}_unchanged")
    # edits: rename the first user flow and the first collected slot, add a flow + response
    flow = Flow.objects.filter(assistant=assistant, is_pattern=False).first()
    services.assistant_item_rename(user=user, assistant=assistant, kind="flows", old=flow.flow_id, new=flow.flow_id + "_renamed")
    slot = next((s["collect"] for f in Flow.objects.filter(assistant=assistant) for s in f.steps if "collect" in s), None)
    if slot:
        services.assistant_item_rename(user=user, assistant=assistant, kind="slots", old=slot, new=slot + "_renamed")
    a.response_save(user=user, assistant=assistant, name="utter_studio_hello", variations=[{"text": "Hello from the studio"}], revision=None)
    a.flow_create(user=user, assistant=assistant, flow_id="studio_hello",
                  data={"description": "Say hello from the studio (added in the studio).", "steps": [{"action": "utter_studio_hello"}]})
    services.export_to_directory(services.assistant_export(user=user, assistant=assistant), OUT / f"{name}_edited")
fresh = a.assistant_create(user=user, name="Fresh")
a.slot_save(user=user, assistant=fresh, name="city", data={"type": "text", "mappings": [{"type": "from_llm"}]}, revision=None)
a.response_save(user=user, assistant=fresh, name="utter_ask_city", variations=[{"text": "Which city?"}], revision=None)
a.response_save(user=user, assistant=fresh, name="utter_weather", variations=[{"text": "Sunny in {city}."}], revision=None)
a.flow_create(user=user, assistant=fresh, flow_id="weather",
              data={"description": "Tell the weather for a city.", "steps": [{"collect": "city", "description": "city name"}, {"action": "utter_weather"}]})
services.export_to_directory(services.assistant_export(user=user, assistant=fresh), OUT / "studio_created")
print("\n".join(sorted(p.name for p in OUT.iterdir())))
