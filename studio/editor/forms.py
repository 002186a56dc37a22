from django import forms
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.safe_input import load_yaml

from studio.core.exceptions import ValidationFailed


class FlowCreateForm(forms.Form):
    flow_id = forms.CharField(max_length=200, label="Flow id", help_text="letters, digits and _ (e.g. transfer_money)")
    name = forms.CharField(max_length=200, required=False)
    description = forms.CharField(max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def add_domain_errors(self, exc: ValidationFailed) -> None:
        for problem in exc.problems:
            field = str(problem.loc[0]) if problem.loc and str(problem.loc[0]) in self.fields else None
            self.add_error(field, problem.msg)


class FlowDuplicateForm(forms.Form):
    new_flow_id = forms.CharField(max_length=200, label="New flow id")


class ResponseSaveForm(forms.Form):
    """What every response save carries besides the variations: revision, merge base, conflict choices."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The variations as loaded at `revision`: when someone saved since, the save merges with theirs.
    # strip=False: the dump indents its list, and stripping only the first line's indent breaks the YAML.
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100_000, strip=False)
    # Set by the conflict card: the revision whose overlaps the `resolve:<id>` radios decide.
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    @staticmethod
    def _variations(text: str) -> list:
        try:
            data = load_yaml(text, YAML(typ="safe", pure=True))
        except YAMLError as exc:
            raise forms.ValidationError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
        if not isinstance(data, list):
            raise forms.ValidationError("write a YAML list of variations, e.g. - text: Hello")
        return data

    def clean_base(self) -> list | None:
        return self._variations(self.cleaned_data["base"]) if self.cleaned_data["base"] else None

    def resolutions(self) -> dict[str, str]:
        """The conflict card's choices: `resolve:<conflict id>` = mine | theirs."""
        return {key.removeprefix("resolve:"): value for key, value in self.data.items()
                if key.startswith("resolve:") and value in ("mine", "theirs")}


class ResponseEditForm(ResponseSaveForm):
    """A response's variations as the YAML list Rasa's domain holds under the response's name."""

    variations = forms.CharField(widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
                                 max_length=100_000, strip=False,
                                 help_text="a YAML list: one item per variation (text, buttons, …)")

    def clean_variations(self) -> list:
        return self._variations(self.cleaned_data["variations"])
