"""The 部门预算公开 (departmental budget disclosure) as a document kind: see :mod:`juesuan.budget.kind`."""
