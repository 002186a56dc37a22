"""The custom action form: `send_domain` and the other options as YAML (Rasa's `- name: {...}` entry)."""
from __future__ import annotations

from typing import Any

from django import forms

from studio.editor.slot_forms import ABSENT, OtherKeysMixin, cleaned_initial, merged, yaml_field, yaml_text


class ActionForm(OtherKeysMixin, forms.Form):
    send_domain = forms.BooleanField(required=False, label="Send the domain",
                                     help_text="Rasa sends the whole domain to the action server with each call")
    other = yaml_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].label = "Other options (YAML)"
        self.fields["other"].help_text = "every other option of the action entry, kept as written"

    @staticmethod
    def initial_for(definition: dict[str, Any] | None) -> dict[str, Any]:
        definition = definition or {}
        return {"send_domain": definition.get("send_domain") is True,
                "other": yaml_text({k: v for k, v in definition.items() if k != "send_domain"} or ABSENT)}

    @staticmethod
    def built(cleaned: dict[str, Any]) -> dict[str, Any]:
        return {**cleaned.get("other", {}), **({"send_domain": True} if cleaned.get("send_domain") else {})}

    def definition(self, original: dict[str, Any] | None) -> dict[str, Any] | None:
        """The action's options (None: the plain `- name` entry); unchanged options keep their stored value."""
        original = original or {}
        before = ActionForm.built(cleaned_initial(ActionForm, ActionForm.initial_for(original)))
        return merged(original, before, ActionForm.built(self.cleaned_data)) or None


class ActionCreateForm(ActionForm):
    name = forms.CharField(max_length=200, help_text="e.g. action_check_balance")
    field_order = ["name"]
