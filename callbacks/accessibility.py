"""The accessibility statement page (``/accessibilite``, English with ``?lang=en``), linked from the
footer of every page. Static text: no data access."""

from __future__ import annotations

from callbacks.registry import Page, PageResult, Request, register
from layouts import accessibility as view
from layouts.i18n import t

PAGE = view.PAGE


def build(req: Request) -> PageResult:
    return PageResult(view.layout(req.lang), t("a11y.title", req.lang))


register(Page(key=PAGE, path="/accessibilite", build=build, order=65))
