from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def flash_error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, error_text(error))
