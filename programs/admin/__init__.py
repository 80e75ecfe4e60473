"""Admin for every model in the directory; importing the modules registers them."""

from . import content, decisions, places, programmes

__all__ = ["content", "decisions", "places", "programmes"]
