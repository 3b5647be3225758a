"""Article text is untrusted: one escaping helper per output format.

Every renderer passes article text and metadata (titles, source names, URLs,
quotes, entity names) through the helper of its format, so an article can
never inject markup into the output:

* :func:`plain` (plain text and the start of every other helper): no control
  characters, so no terminal escape sequences (colours, OSC 8 hyperlinks,
  cursor moves) and no line breaks inside one value;
* :func:`terminal` (rich): a :class:`rich.text.Text`, which rich prints
  literally: ``[/]``, ``[bold]`` or ``[link=…]`` in an article stay text;
* :func:`markdown`: ``<``, ``>`` and ``&`` as entities (no raw HTML such as
  ``<script>`` or ``<img onerror>``), and Markdown syntax backslash-escaped
  (no links or images from ``[x](javascript:…)``, no emphasis, no table cells);
* HTML: Jinja2's autoescaping in ``analysis_html`` (``markupsafe.escape``).
"""

from __future__ import annotations

import re

__all__ = ["plain", "terminal", "markdown"]

# C0 and C1 control characters (ESC starts terminal escape sequences), DEL, and
# the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters with a meaning in CommonMark / GitHub Markdown outside HTML.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
# A line start that would open a list, a heading or a quote.
_MARKDOWN_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-=])")


def plain(value: object) -> str:
    """``value`` as one line of text without control characters."""
    return " ".join(_CONTROL.sub(" ", str(value)).split())


def terminal(value: object, style: str = ""):
    """``value`` as rich Text: printed literally, never read as rich markup."""
    from rich.text import Text

    return Text(plain(value), style=style)


def markdown(value: object) -> str:
    """``value`` as inert Markdown text: no HTML, links, images, emphasis or table cells from it."""
    text = plain(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MARKDOWN_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", text)
