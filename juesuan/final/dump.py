"""A disclosure written back as canonical data (what :mod:`.canonical` reads): YAML or JSON text.

:func:`text` is :func:`juesuan.data.dump` (shared by the kinds): the model's fields in order, those
holding their default left out, amounts as exact decimal text (never a float). Reading the text
back gives an equal model.
"""

from __future__ import annotations

from ..data import dump as text
from ..data import plain

__all__ = ["plain", "text"]
