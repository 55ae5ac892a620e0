"""Validation at the edge of the literature app."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from offlabel.evidence.vocabulary import Design, Species
from offlabel.literature.records import normalize_doi, split_name
from offlabel.web.common.vocabulary import choices
from offlabel.web.literature.importing import FORMATS, MAX_UPLOAD_BYTES, too_large_message
from offlabel.web.literature.models import Reference, SavedSearch

_PMID = re.compile(r"^[1-9]\d{0,9}$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_NCT = re.compile(r"^NCT\d{8}$")


class ImportForm(forms.Form):
    """Either a file or pasted identifiers."""

    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text="PubMed XML (.xml or .xml.gz), MEDLINE/nbib text, RIS, BibTeX, EndNote XML, "
        "Web of Science, ClinicalTrials.gov or Crossref JSON; up to "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Records that cannot be read are listed in "
        "the preview; nothing is added until you confirm.",
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="auto")
    identifiers = forms.CharField(
        label=_("Or paste identifiers"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "29768149\n10.1002/ana.22006\nNCT00501696"}
        ),
        help_text=_(
            "One per line: PMIDs, DOIs or ClinicalTrials.gov NCT ids. They are looked up "
            "on PubMed, Crossref and ClinicalTrials.gov."
        ),
    )

    def __init__(self, *args: Any, upload_too_large: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(too_large_message(upload.size))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.upload_too_large is not None:
            self.add_error("file", too_large_message(self.upload_too_large))
            return data
        has_file = data.get("file") is not None
        has_ids = bool((data.get("identifiers") or "").strip())
        if not has_file and not has_ids and not self.errors:
            raise ValidationError(_("Choose a file to upload or paste some identifiers."))
        if has_file and has_ids:
            raise ValidationError(_("Upload a file or paste identifiers, not both at once."))
        return data


def _check(value: str, pattern: re.Pattern[str], message: str) -> str:
    value = value.strip()
    if value and not pattern.match(value):
        raise ValidationError(message)
    return value


class ReferenceForm(forms.Form):
    """A reference typed in by a reviewer."""

    kind = forms.ChoiceField(label=_("Type"), choices=Reference.Kind.choices)
    authors = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, “Lastname Initials” (e.g. Cree BA) or “Lastname, Given names”."),
    )
    title = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    journal = forms.CharField(required=False, max_length=300)
    year = forms.IntegerField(required=False, min_value=1800, max_value=2100)
    volume = forms.CharField(required=False, max_length=40)
    issue = forms.CharField(required=False, max_length=40)
    pages = forms.CharField(required=False, max_length=40, help_text="e.g. 145-50")
    doi = forms.CharField(
        label=_("DOI"), required=False, max_length=200, help_text=_("e.g. 10.1002/ana.22006")
    )
    pmid = forms.CharField(
        label=_("PMID"), required=False, max_length=20, help_text=_("Digits only.")
    )
    nct = forms.CharField(
        label=_("NCT number"), required=False, max_length=20, help_text=_("e.g. NCT00501696")
    )
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="https")
    species = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *choices(Species)],
        help_text=_("Leave blank to classify."),
    )
    design = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *choices(Design)],
        help_text=_("Leave blank to classify."),
    )

    def clean_authors(self) -> list[str]:
        names = []
        for line in self.cleaned_data.get("authors", "").splitlines():
            if line.strip():
                author = split_name(line)
                names.append(author.display)
        return names

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("A reference needs a title."))
        return title

    def clean_doi(self) -> str:
        doi = normalize_doi(self.cleaned_data.get("doi", "")) or ""
        return _check(
            doi, _DOI, "Not a DOI: it starts with 10., then a prefix, a slash and a suffix."
        )

    def clean_pmid(self) -> str:
        return _check(
            self.cleaned_data.get("pmid", ""), _PMID, "A PMID is digits only (e.g. 29768149)."
        )

    def clean_nct(self) -> str:
        return _check(
            self.cleaned_data.get("nct", "").upper(),
            _NCT,
            "An NCT number is NCT followed by 8 digits (e.g. NCT00501696).",
        )


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["therapy_terms", "condition_terms", "species"]
        widgets = {
            "therapy_terms": forms.Textarea(attrs={"rows": 3}),
            "condition_terms": forms.Textarea(attrs={"rows": 3}),
        }


class LibraryFilterForm(forms.Form):
    species = forms.ChoiceField(required=False, choices=[("", "Any species"), *choices(Species)])
    design = forms.ChoiceField(required=False, choices=[("", "Any design"), *choices(Design)])
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[])

    def __init__(self, *args: Any, years: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field: Any = self.fields["year"]
        year_field.choices = [("", "Any year")] + [(y, str(y)) for y in years or []]
