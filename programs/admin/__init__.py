"""Admin for every model in the directory; importing the modules registers them."""

from . import conditions, content, places, programmes, rates_and_signals, sources, suggestions

__all__ = [
    "conditions",
    "content",
    "places",
    "programmes",
    "rates_and_signals",
    "sources",
    "suggestions",
]
