"""The pages' templates: :func:`page` renders one with what every page gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from ..store.store import STATUS_LABELS

__all__ = ["templates", "page"]

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
# a version's status as every page says it (the words of `juesuan db`)
templates.env.globals["status_labels"] = STATUS_LABELS


def page(request: Request, name: str, status_code: int = 200, **context: Any):
    """The template ``name`` rendered for ``request``: with ``user`` (or None) and ``csrf`` (the
    session's CSRF token, for forms and htmx requests) beside ``context``."""
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf", getattr(request.state, "csrf", ""))
    return templates.TemplateResponse(request, name, context, status_code=status_code)
