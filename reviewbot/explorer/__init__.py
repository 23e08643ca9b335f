"""The principle explorer: a static site of the principle graph that works offline.

`build_site(graph)` is pure: it returns {relative path: text} for the map page, one
page per principle, the style sheet and the script. `write_site` is the edge that
puts those files in a directory (`reviewbot principles --html DIR`); the server
serves the same files from memory at /principles/.
"""

from __future__ import annotations

from reviewbot.explorer.site import build_site, write_site

__all__ = ["build_site", "write_site"]
