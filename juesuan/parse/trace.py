"""The parse trace: every decision the recognizer took, kept for ``juesuan parse --debug``.

Events are plain dicts (stage, line/page, what, why). ``unreadable`` collects the places
where figures or text could not be read, with the reason, for the parse's coverage
(:class:`~juesuan.parse.result.Coverage`) — nothing read from a document is dropped without a record here.

An event keeps the first characters of its line's text; the text is joined once per line
(:func:`~juesuan.parse.cells.line_text`), not once per event: a line of 100 000 cells with an
event for each stays linear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .cells import line_text
from .source import SourceLine

__all__ = ["Trace"]


@dataclass
class Trace:
    events: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    # tied readings left for cross-table identities: (table id, row key) → [{column header: value}]
    alternatives: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)

    def note(self, stage: str, what: str, line: SourceLine | None = None, **extra: Any) -> None:
        ev: dict[str, Any] = {"stage": stage, "what": what}
        if line is not None:
            ev.update(line.place().to_dict())
            ev["text"] = line_text(line)[:120]
        ev.update(extra)
        self.events.append(ev)

    def unread(self, line: SourceLine | None, reason: str, text: str | None = None, **extra: Any) -> None:
        ev: dict[str, Any] = {}
        if line is not None:
            ev.update(line.place().to_dict())
        ev["text"] = (text if text is not None else (line_text(line) if line else ""))[:160]
        ev["reason"] = reason
        ev.update(extra)
        self.unreadable.append(ev)
        self.note("unreadable", reason, line, **extra)

    def duplicate(self, line: SourceLine, reason: str, **extra: Any) -> None:
        ev = {**line.place().to_dict(), "text": line_text(line)[:160], "reason": reason, **extra}
        self.duplicates.append(ev)
        self.note("duplicate", reason, line, **extra)
