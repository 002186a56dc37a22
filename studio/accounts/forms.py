from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from studio.accounts.models import InviteMethod, Role


class MemberForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False, label="Email (optional)")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.VIEWER)
    method = forms.ChoiceField(choices=InviteMethod.choices, initial=InviteMethod.LINK,
                               label="If the account is new, give them")


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form, refusing to keep the password someone else gave you (a temporary one)."""

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", "Choose a new password, not the one you have now.")
        return cleaned
