"""The prose an official writes, as plain text with the marks they already use in Word.

- a line is a paragraph (blank lines are ignored);
- a line starting with "-" or "+" is a bullet, kept as written (Decree 30 prints the dash);
- **text** is bold.

The HTML is built from escaped text, then cleaned with nh3 all the same, so that whatever
is stored can only contain the few tags below.
"""

import re

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {"p", "strong", "em", "br"}
ALLOWED_ATTRIBUTES = {"p": {"class"}}
BOLD = re.compile(r"\*\*(.+?)\*\*")


def paragraph(line):
    css = ""
    if line.startswith("+"):
        css = ' class="bullet-2"'
    elif line.startswith("-"):
        css = ' class="bullet-1"'
    return f"<p{css}>{BOLD.sub(r'<strong>\1</strong>', escape(line))}</p>"


def to_html(text):
    lines = [line.strip() for line in (text or "").splitlines()]
    html = "".join(paragraph(line) for line in lines if line)
    return sanitise(html)


def sanitise(html):
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


def stored(text):
    """What Report.prose keeps for one section."""
    return {"text": text, "html": to_html(text)}
