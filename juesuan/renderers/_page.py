"""Page facts of GB/T 9704 (党政机关公文格式) shared by the Word and PDF renderers."""

from __future__ import annotations

from ..document import COVER_DATE

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # 天头 37 mm, 订口 28 mm
A4_MM = (210, 297)
TITLE_PT = 22     # 2号: the title
BODY_PT = 16      # 3号: body text
FORM_PT = 10.5    # 五号: 绩效自评表, 重点工作 and other forms
TABLE_PT = 9      # 小五: the nine tables


def cover_date(doc) -> str:
    """The publication date printed on the cover: the document's (``Document.published``), else
    【待填写：公开日期】 — never made up (the build date is not the date it is published)."""
    return doc.published or COVER_DATE
