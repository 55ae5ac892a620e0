from django import forms
from django.utils.translation import gettext_lazy as _


class TopicSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by therapy or condition"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. naltrexone, LDN, ALS, myelopathy"}
        ),
    )
