"""egovnet.render: intended configuration = ``templates/<platform>/*.j2`` + the inventory model.

``render(inventory, host)`` returns what the device should print for ``display
current-configuration`` / ``show running-config``; ``render_all`` does a whole county; each platform's
capability templates (base, interfaces, ipv6, redundancy, security, wireless_5g) are listed by
``capabilities(platform)``. Errors are :class:`RenderError`, always naming the host.
"""

from egovnet.render.engine import Renderer, applicable, capabilities, render, render_all
from egovnet.render.errors import RenderError

__all__ = ["RenderError", "Renderer", "applicable", "capabilities", "render", "render_all"]
