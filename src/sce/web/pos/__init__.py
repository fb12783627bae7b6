"""The restaurant's screens in the browser: touch POS, kitchen display, back office, JSON API and live sync.

:func:`sce.web.pos.app.create_app` builds the FastAPI application over a :class:`~sce.web.pos.runtime.Runtime`
(the POS core, its FDM and the web-side state); ``sce serve`` (:mod:`sce.web.pos.cli`) starts it.
"""
