"""The review web pages (issue 17; docs/web.md): ``juesuan serve``.

A face beside the command line, over the same store: FastAPI, pages rendered on the server
from Jinja2 templates, htmx for the parts that change in place. Every asset is in
``static/`` (vendored, see ``static/VENDORED.md``); nothing is loaded from elsewhere.

* :mod:`.app` — :func:`create_app`: the application over a store, its settings, its routers;
* :mod:`.auth` — logins, sessions, roles, CSRF, the rate limit of logins, the audit log;
* :mod:`.admin` — the administrator's pages: accounts, the audit log and its exports;
* :mod:`.seed` — the first administrator, and the example loaded into an empty store;
* :mod:`.templating` — the templates and what every page gets (the user, the CSRF token);
* :mod:`.documents` — upload, the document page, marks, versions, downloads;
* :mod:`.view` — a stored document and its findings as the document page shows them (each at its place);
* :mod:`.pageimage` — a PDF's page as a PNG with the findings' cells boxed;
* :mod:`.files` — where uploaded files are kept;
* :mod:`.dashboard` — a region's departments and their status, history, compare tables;
* :mod:`.api` — the small JSON API beside the pages (``/api/…``, OpenAPI at ``/docs``).
"""

from .app import Settings, create_app

__all__ = ["create_app", "Settings"]
