"""Admin for every model in the directory; importing the modules registers them."""

from . import content, places, programmes, rates_and_signals, sources, suggestions

__all__ = ["content", "places", "programmes", "rates_and_signals", "sources", "suggestions"]
