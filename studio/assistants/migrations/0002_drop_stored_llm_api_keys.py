"""Remove `settings.llm.api_key` from stored assistants.

The API used to accept it; it is refused now (only LLM_API_KEY is used), and a stored copy would
still be shown to everyone who reads the assistant's settings.
"""
from django.db import migrations


def drop_stored_llm_api_keys(apps, schema_editor) -> None:
    Assistant = apps.get_model("assistants", "Assistant")
    for assistant in Assistant.objects.filter(settings__has_key="llm").only("pk", "settings"):
        llm = assistant.settings.get("llm")
        if isinstance(llm, dict) and "api_key" in llm:
            del llm["api_key"]
            Assistant.objects.filter(pk=assistant.pk).update(settings=assistant.settings)


class Migration(migrations.Migration):
    dependencies = [("assistants", "0001_initial")]

    operations = [migrations.RunPython(drop_stored_llm_api_keys, migrations.RunPython.noop)]
