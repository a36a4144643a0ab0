"""The follow-up dashboard as an Excel file (the same figures as the screen)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from lamtheo.core.xlsx import write_xlsx


def dashboard_xlsx(*, root, rows: Sequence, totals: dict, severities: Sequence) -> bytes:  # type: ignore[no-untyped-def, type-arg]
    """One row per unit with something to follow up (the most overdue first), then the totals."""
    header = [_("Unit"), _("Not yet verified"), _("Overdue"), _("Verified")]
    for _code, label in severities:
        header += [_("%(severity)s: not yet verified") % {"severity": label}, _("%(severity)s: overdue") % {"severity": label}]
    lines = []
    for row, sums, cells in rows:
        name = _("%(name)s itself") % {"name": row.name} if row.is_self else row.name
        lines.append([name, sums["open"], sums["overdue"], sums["verified"], *[n for pair in cells for n in pair]])
    lines.append([_("Total"), totals["open"], totals["overdue"], totals["verified"]])
    buffer = io.BytesIO()
    write_xlsx(buffer, header=header, rows=lines, sheet_name=str(root.name)[:31])
    return buffer.getvalue()
