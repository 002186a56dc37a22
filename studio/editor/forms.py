from django import forms

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
