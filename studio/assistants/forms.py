from django import forms

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

    name = forms.CharField(max_length=120)
    language = forms.CharField(max_length=16)
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    generator = forms.ChoiceField(choices=[("offline", "Offline (no LLM)"), ("llm", "LLM"),
                                           ("scripted", "Scripted (type commands)")])
    llm_base_url = forms.CharField(required=False, max_length=500, label="LLM base URL")
    llm_model = forms.CharField(required=False, max_length=200, label="LLM model")
    llm_temperature = forms.FloatField(required=False, min_value=0, max_value=2, label="LLM temperature")
    llm_timeout = forms.FloatField(required=False, min_value=0.1, max_value=600, label="LLM timeout (s)")
    # strip=False: leading/trailing whitespace is content in templates and YAML.
    prompt_template = forms.CharField(required=False, strip=False, max_length=100_000, label="Prompt template (Jinja2)",
                                      widget=forms.Textarea(attrs={"rows": 6, "class": "code"}))
    config_yaml = forms.CharField(required=False, strip=False, max_length=200_000, label="config.yml",
                                  widget=forms.Textarea(attrs={"rows": 12, "class": "code"}))
    endpoints_yaml = forms.CharField(required=False, strip=False, max_length=200_000, label="endpoints.yml",
                                     widget=forms.Textarea(attrs={"rows": 10, "class": "code"}))

    LLM_FIELDS = ("base_url", "model", "temperature", "timeout")

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
