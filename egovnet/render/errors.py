"""The one error the renderer raises: it always names the host, and the variable or line at fault.

A rendering problem is an inventory or template problem an engineer must fix; a Jinja traceback or a
``KeyError`` deep in the context builder tells them neither which device nor which variable, so every
failure is turned into a :class:`RenderError` whose message starts with the host name.
"""

from __future__ import annotations


class RenderError(Exception):
    """A device's intended configuration could not be rendered.

    Attributes:
        host: the inventory host being rendered.
        detail: what went wrong (names the variable, template file and line where known).
    """

    def __init__(self, host: str, detail: str) -> None:
        self.host = host
        self.detail = detail
        super().__init__(f"{host}: {detail}")
