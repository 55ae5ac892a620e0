from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from offlabel.web.accounts.models import User
from offlabel.web.accounts.roles import REQUESTABLE_ROLES, SELF_SERVICE_ROLES, Role

_SIGN_UP_ROLES = [(r.value, r.label) for r in Role if r in SELF_SERVICE_ROLES | REQUESTABLE_ROLES]


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    display_name = forms.CharField(
        label=_("Name shown to others"),
        max_length=80,
        help_text=_("A first name or a nickname is enough."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("I am…"),
        choices=_SIGN_UP_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            _(
                "Clinician, veterinarian and reviewer roles are checked by an editor "
                "before they work."
            )
        ),
    )
    professional_note = forms.CharField(
        label=_("For professionals: licence number, institution, or how we can check"),
        max_length=300,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from offlabel.web.accounts.policies import current_policies

        super().__init__(*args, **kwargs)
        self.fields.update(agreement_fields(current_policies()))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            probe = User(email=data.get("email", ""), display_name=data.get("display_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        professional = set(data.get("roles", [])) & set(REQUESTABLE_ROLES)
        if professional and not data.get("professional_note", "").strip():
            self.add_error(
                "professional_note", "Tell the editors how to check your professional role."
            )
        return data


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()

    def clean(self) -> dict[str, Any]:
        """Refuse before checking any password once this client address failed too often,
        whatever usernames it tried (password spraying), or once the account failed too often
        from browsers it never signed in with, whatever their addresses (then one attempt a
        while from such browsers; a browser it signed in with is never held back); count each
        failure."""
        from django.core.exceptions import ValidationError

        from offlabel.web.common.throttle import (
            client_address,
            known_device,
            limit_of,
            throttle_exceeded,
            throttle_record,
            throttle_slot,
        )

        address = client_address(self.request) if self.request is not None else ""
        limit = limit_of("OFFLABEL_LOGIN_ADDRESS_LIMIT", 30)
        window = limit_of("OFFLABEL_LOGIN_ADDRESS_WINDOW", 15 * 60)
        if address and throttle_exceeded("login-failure", address, limit=limit, window=window):
            raise ValidationError(
                _(
                    "Too many failed sign-ins from your network (%(limit)s in %(minutes)s "
                    "minutes). Please wait a little and try again."
                )
                % {"limit": limit, "minutes": window // 60},
                code="throttled",
            )
        account = str(self.cleaned_data.get("username") or "")
        stranger = bool(account) and not known_device(self.request, account)
        account_limit = limit_of("OFFLABEL_LOGIN_ACCOUNT_LIMIT", 20)
        account_window = limit_of("OFFLABEL_LOGIN_ACCOUNT_WINDOW", 60 * 60)
        if stranger and throttle_exceeded(
            "login-account", account, limit=account_limit, window=account_window
        ):
            wait = throttle_slot(
                "login-account", account, every=limit_of("OFFLABEL_LOGIN_ACCOUNT_DELAY", 60)
            )
            if wait:
                raise ValidationError(
                    _(
                        "Too many failed sign-ins to this account lately from browsers it was "
                        "never signed in with, so these may try only now and then: please try "
                        "again in %(wait)s seconds. A browser you signed in with before is not "
                        "held back."
                    )
                    % {"wait": wait},
                    code="throttled",
                )
        try:
            return super().clean()
        except ValidationError:
            if address:
                throttle_record("login-failure", address, window=window)
            if stranger:
                throttle_record("login-account", account, window=account_window)
            raise


class RoleRequestForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_SIGN_UP_ROLES)
    note = forms.CharField(label=_("How can editors check it?"), max_length=300, required=False)


def agreement_fields(policies: Any) -> dict[str, forms.BooleanField]:
    """One required tick per policy document (``agree_privacy`` …), labelled with its version."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext

    return {
        f"agree_{p.key}": forms.BooleanField(
            label=format_html(
                gettext('I have read and agree to the <a href="{}">{}</a> (version {}, {})'),
                reverse("accounts:policy", args=[p.key]),
                gettext(p.title).lower(),
                p.version,
                p.published,
            ),
            required=True,
            error_messages={
                "required": gettext("Agree to the %(document)s to go on.")
                % {"document": gettext(p.title).lower()}
            },
        )
        for p in policies
    }


def agreed(form: forms.Form) -> list[str]:
    return [
        name.removeprefix("agree_")
        for name, value in form.cleaned_data.items()
        if name.startswith("agree_") and value
    ]


class ConsentForm(forms.Form):
    def __init__(self, *args: Any, policies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(agreement_fields(policies))


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown to others"), max_length=80)


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "The two new passwords differ.")
        return data
