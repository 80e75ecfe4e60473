"""Text folding shared by search and the vocabulary lookups, and the control characters no stored
text may hold."""

import re
import unicodedata

# C0 controls but tab, line feed and carriage return; DEL; the C1 controls; the two
# non-characters XML 1.0 forbids; and the bidirectional embeddings, overrides and isolates. None of
# them is typed on purpose: pasted from a terminal or a PDF they ring bells, move cursors, break
# the XML of the Atom feed and an XLSX export, or make text read differently from what it is.
CONTROL_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)


def first_control_character(text: str) -> str | None:
    """The first character of `text` that no stored text may hold, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return found.group() if found else None


def without_control_characters(text: str) -> str:
    """`text` with those characters removed: for formats that cannot carry them (XML, XLSX),
    whatever older rows hold."""
    return CONTROL_CHARACTERS.sub("", text)


def fold(text: str) -> str:
    """Lower case without accents: "Côte d'Ivoire" → "cote d'ivoire", "Straße" → "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
