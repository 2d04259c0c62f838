"""Renderers: a built disclosure → HTML (and, later, DOCX, PDF, XLSX)."""
