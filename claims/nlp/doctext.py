"""A Doc's text, read once per document.

``Doc.text`` is not stored: spaCy joins every token's text each time it is read, which
over a long article costs more than some of our components. Each component reads the
text through ``doc_text`` instead, which keeps it on the Doc after the first read.
"""

from __future__ import annotations

from spacy.tokens import Doc

if not Doc.has_extension("factcheck_text"):
    Doc.set_extension("factcheck_text", default=None)


def doc_text(doc: Doc) -> str:
    text = doc._.factcheck_text
    if text is None:
        text = doc._.factcheck_text = doc.text
    return text
