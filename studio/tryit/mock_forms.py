"""The mock page's form: the mock as YAML, in the shape of one Rasa `stub_custom_actions` entry."""
from __future__ import annotations

from typing import Any

from django import forms
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.safe_input import load_yaml
from studio.exchange.yamlproject import yamlio
from studio.tryit.mocks import MAX_MOCK_BYTES

EXAMPLE = """variants:
  - condition: slots.size = 'large'
    events:
      - event: slot
        name: loyalty_points
        value: 40
    responses:
      - text: You have 40 points.
  - events:
      - event: slot
        name: loyalty_points
        value: 120
"""


class MockForm(forms.Form):
    mock = forms.CharField(widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}), required=False,
                           max_length=MAX_MOCK_BYTES, label="Mock",
                           help_text="events and responses, as under stub_custom_actions in a Rasa e2e test; "
                                     "or variants, each with a condition. Leave empty to remove the mock.")
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_mock(self) -> Any:
        text = self.cleaned_data["mock"]
        if not text.strip():
            return None
        try:
            data = load_yaml(text, YAML(typ="safe", pure=True))
        except YAMLError as exc:
            raise forms.ValidationError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
        return yamlio.to_plain(data)


def mock_yaml(mock: Any) -> str:
    return "" if mock is None else yamlio.dump(yamlio.to_node(mock))
