"""Text folding shared by search and the vocabulary lookups."""

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Côte d'Ivoire" → "cote d'ivoire", "Straße" → "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
