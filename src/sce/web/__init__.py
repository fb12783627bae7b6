"""Web applications of ``sce`` (FastAPI routers, templates and page catalogues)."""
