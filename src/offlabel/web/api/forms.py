from __future__ import annotations

from typing import Any

from django import forms

from offlabel.web.accounts.models import User
from offlabel.web.api.models import Scope
from offlabel.web.api.services import LIFETIMES, scopes_allowed


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for, e.g. “my REDCap sync”.")
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(d, f"{d} days") for d in LIFETIMES],
        initial=30,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = scopes_allowed(user)
        self.fields["scopes"].choices = [  # type: ignore[attr-defined]
            (s.value, s.label) for s in Scope if s.value in allowed
        ]
