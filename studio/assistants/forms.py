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
