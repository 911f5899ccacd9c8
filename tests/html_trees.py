"""Element trees of printed documents, compared node by node (portal/pdfs.py's html_tree)."""

import io
import xml.etree.ElementTree as ElementTree

import tinyhtml5


def tinyhtml5_tree(html):
    """``html`` as WeasyPrint's own parser reads it: from a file object, as WeasyPrint gives it
    (a short string would be taken for a file's name)."""
    return tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False)


def first_difference(tree, expected, path="html"):
    """Where ``tree`` first differs from ``expected`` (tag, attributes, text, the text after an
    element, the children), as a readable line; None if they are the same."""
    for what, mine, theirs in (
        ("tag", _tag(tree), _tag(expected)),
        ("attributes", dict(tree.attrib), dict(expected.attrib)),
        ("text", tree.text or "", expected.text or ""),
        ("text after", tree.tail or "", expected.tail or ""),
        ("children", [_tag(child) for child in tree], [_tag(child) for child in expected]),
    ):
        if mine != theirs:
            return f"{path}: {what} {mine!r}, expected {theirs!r}"
    for index, (child, expected_child) in enumerate(zip(tree, expected, strict=True)):
        found = first_difference(child, expected_child, f"{path}/{_tag(child)}[{index}]")
        if found:
            return found
    return None


def _tag(element):
    return element.tag if isinstance(element.tag, str) else "<!-- -->" if element.tag is ElementTree.Comment else "?"
