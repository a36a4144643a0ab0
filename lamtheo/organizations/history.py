"""What the history pages say about organizations and people: role names, the services' reasons."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from lamtheo.core import history

from .models import Organization, Person, Position
from .selectors import role_names


def register() -> None:
    """Give core's history pages the role names and this context's reasons (called from ready())."""
    history.register_role_names(role_names)
    # The change reasons the services write; None where the entry's verb already says it.
    reasons = {
        "create": None,
        "update": None,
        "move": pgettext_lazy("history reason", "moved under another parent"),
        "merge into *": pgettext_lazy("history reason", "merged into %(value)s"),
        "end": pgettext_lazy("history reason", "position ended"),
    }
    for model in (Organization, Person, Position):
        history.describe(model, reasons=reasons)
