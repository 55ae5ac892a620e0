from django import forms


class TopicSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by therapy or condition",
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. naltrexone, LDN, ALS, myelopathy"}
        ),
    )
