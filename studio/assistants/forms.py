from django import forms
from django.conf import settings as django_settings

from studio.core.exceptions import ValidationFailed


class AssistantForm(forms.Form):
    name = forms.CharField(max_length=120)
    language = forms.CharField(max_length=16, initial="en")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)

    def add_domain_errors(self, exc: ValidationFailed) -> None:
        """Show a service's problems next to the field they name."""
        for problem in exc.problems:
            field = str(problem.loc[0]) if problem.loc and str(problem.loc[0]) in self.fields else None
            self.add_error(field, problem.msg)


class AssistantSettingsForm(forms.Form):
    """The owner's settings page; `to_changes` maps it onto `assistant_update`'s keywords."""

    GENERATORS = [("offline", "Offline: matches what the user says without an LLM"),
                  ("llm", "LLM: Rasa's command generator prompt, sent to the model below"),
                  ("scripted", "Scripted: type commands such as StartFlow(order) yourself")]

    name = forms.CharField(max_length=120)
    language = forms.CharField(max_length=16, help_text="A language code such as en or pt-BR.")
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    generator = forms.ChoiceField(choices=GENERATORS, widget=forms.RadioSelect, label="Generator")
    llm_model = forms.CharField(required=False, max_length=200, label="LLM model")
    llm_base_url = forms.CharField(required=False, max_length=500, label="LLM base URL",
                                   help_text="Any OpenAI-compatible endpoint. Empty: the server's.")
    llm_temperature = forms.FloatField(required=False, min_value=0, max_value=2, label="LLM temperature",
                                       help_text="0 to 2; lower is more predictable.")
    llm_timeout = forms.FloatField(required=False, min_value=0.1, max_value=600, label="LLM timeout (s)")
    llm_max_retries = forms.IntegerField(required=False, min_value=0, max_value=10, label="LLM retries",
                                         help_text="0 to 10 more attempts after a failed call.")
    # strip=False: leading/trailing whitespace is content in templates and YAML.
    prompt_template = forms.CharField(required=False, strip=False, max_length=100_000, label="Prompt template (Jinja2)",
                                      help_text="Empty: Rasa's default command generator prompt.",
                                      widget=forms.Textarea(attrs={"rows": 6, "class": "code"}))
    config_yaml = forms.CharField(required=False, strip=False, max_length=200_000, label="config.yml",
                                  widget=forms.Textarea(attrs={"rows": 12, "class": "code"}))
    endpoints_yaml = forms.CharField(required=False, strip=False, max_length=200_000, label="endpoints.yml",
                                     widget=forms.Textarea(attrs={"rows": 10, "class": "code"}))

    LLM_FIELDS = ("base_url", "model", "temperature", "timeout", "max_retries")
    # The page's sections, in order; the raw Rasa files are the "advanced" one.
    SECTIONS = {"assistant": ("name", "language", "description"), "generator": ("generator",),
                "llm": tuple(f"llm_{key}" for key in ("model", "base_url", "temperature", "timeout", "max_retries")),
                "prompt": ("prompt_template",), "files": ("config_yaml", "endpoints_yaml")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Empty LLM fields fall back to the server's LLM_* settings: show those as the placeholders.
        defaults = {"llm_model": django_settings.LLM_MODEL, "llm_base_url": django_settings.LLM_BASE_URL,
                    "llm_timeout": django_settings.LLM_TIMEOUT}
        for field, value in defaults.items():
            if value:
                self.fields[field].widget.attrs["placeholder"] = f"server default: {value}"

    @property
    def sections(self) -> dict[str, list]:
        return {name: [self[field] for field in fields] for name, fields in self.SECTIONS.items()}

    @classmethod
    def initial_for(cls, assistant) -> dict:
        settings = assistant.settings or {}
        llm = settings.get("llm") or {}
        return {
            "name": assistant.name, "language": assistant.language, "description": assistant.description,
            "generator": settings.get("generator", "offline"), "prompt_template": settings.get("prompt_template", ""),
            "config_yaml": assistant.config_yaml, "endpoints_yaml": assistant.endpoints_yaml,
            **{f"llm_{key}": llm.get(key) for key in cls.LLM_FIELDS},
        }

    def to_changes(self, current_settings: dict) -> dict:
        data = self.cleaned_data
        llm = {**(current_settings.get("llm") or {})}
        for key in self.LLM_FIELDS:
            value = data[f"llm_{key}"]
            if value in (None, ""):
                llm.pop(key, None)
            else:
                llm[key] = value
        if "llm_api_key" in self.data:  # no such field; passed on so the service refuses it by name
            llm["api_key"] = self.data["llm_api_key"]
        settings = {"generator": data["generator"], "llm": llm, "prompt_template": data["prompt_template"]}
        keep = ("name", "language", "description", "config_yaml", "endpoints_yaml")
        return {**{key: data[key] for key in keep}, "settings": settings}

    def add_domain_errors(self, exc: ValidationFailed) -> None:
        """("settings", "llm", "timeout") -> llm_timeout; ("config_yaml",) -> config_yaml."""
        for problem in exc.problems:
            loc = [str(part) for part in problem.loc]
            if loc[:2] == ["settings", "llm"] and len(loc) > 2:
                field = f"llm_{loc[2]}"
            elif loc[0] == "settings" and len(loc) > 1:
                field = loc[1]
            else:
                field = loc[0]
            if field in self.fields:
                self.add_error(field, problem.msg)
            else:
                self.add_error(None, f"{'.'.join(loc)} {problem.msg}")
