"""Rich text from the browser editor, made safe to store and show, and plain text for titles.

`sanitize` is the one way rich text (news bodies, notices, contributions) gets into the database:
services call it on save, the stored value is the sanitized HTML, and only such fields are
rendered with `|safe`. Titles and comments are plain text: `plain` tidies them and templates
escape them; they never pass through `sanitize`. See docs/decisions/0007-rich-text.md.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from html.parser import HTMLParser

import nh3
from django.conf import settings

MAX_BYTES = 500 * 1024

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote",
        "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
        "figure", "figcaption", "hr", "sub", "sup", "span",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}

LINK_REL = "noopener noreferrer nofollow"
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements dropped together with everything inside them: their content is code, a nested
# document or a foreign namespace (the usual mutation-XSS vehicles), never article text.
_DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "noembed", "noframes", "xmp", "iframe",
        "frame", "frameset", "object", "embed", "applet", "svg", "math", "textarea", "select",
        "title",
    }
)  # fmt: skip

_NUMBER = re.compile(r"\d{1,4}")
_SIZE = re.compile(r"\d{1,4}%?")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# C0 controls and space: browsers drop them inside and around a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20]+")
# C0 controls and DEL, except the ones HTML treats as whitespace (tab, LF, FF, CR).
_HTML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# C0 and C1 controls, except the whitespace ones that `str.split` turns into spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Invisible characters that reorder or hide text (bidi overrides, zero-width space, BOM);
# zero-width joiners stay because emoji sequences need them.
_INVISIBLE = re.compile(r"[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def sanitize(html: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Return the stored, safe form of rich text from the editor; ValueError if too large."""
    size = len(html.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ValueError(f"rich text is {size} bytes, more than the limit of {max_bytes}")
    return _cleaner().clean(_HTML_CONTROL.sub("", html))


def to_text(html: str, *, limit: int | None = None) -> str:
    """Return the plain text of sanitized HTML, whitespace collapsed, cut to `limit` with "…"."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    if limit is not None and len(text) > limit:
        if limit <= 0:
            return ""
        text = text[: limit - 1].rstrip() + "…"
    return text


def plain(text: str, *, multiline: bool = False) -> str:
    """Return a title or comment as clean plain text: no control or invisible characters.

    Whitespace runs become one space. With `multiline` (comments), line breaks are kept, with at
    most one blank line in a row. The result is still text: templates must escape it.
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@functools.cache
def _cleaner() -> nh3.Cleaner:
    # Built once; the attribute filter reads the media URL from settings on every call.
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        # "*" must be given, or ammonia keeps its default generic attributes (lang, title).
        attributes={"*": set()} | {tag: set(n) for tag, n in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
    )


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """Keep an already allow-listed attribute only if its value is of the expected shape."""
    if name in ("colspan", "rowspan"):
        return value if _NUMBER.fullmatch(value.strip()) else None
    if name in ("width", "height"):
        return value if _SIZE.fullmatch(value.strip()) else None
    if name == "href":
        return value if _url_allowed(value, URL_SCHEMES) else None
    if name == "src":
        return value if _image_allowed(value) else None
    return value


def _url_allowed(value: str, schemes: frozenset[str]) -> bool:
    # nh3 has already refused other schemes; this second look is defense in depth.
    match = _SCHEME.match(_URL_NOISE.sub("", value).lower())
    return match is None or match.group(1) in schemes


def _image_allowed(value: str) -> bool:
    """Images come from our own media storage, nothing else: a picture from another host would
    tell that host who reads Party news (and the CSP would block it anyway)."""
    url = value.strip()
    if not _url_allowed(url, frozenset()) or "\\" in url:
        return False
    media = str(settings.MEDIA_URL or "")
    # Stored file names never need escapes, queries or fragments; a browser would decode
    # "%2e%2e" into ".." and leave the media path (a picture that fetches a page).
    return (
        media.startswith("/")
        and not media.startswith("//")
        and url.startswith(media)
        and not any(ch in url for ch in "%?#")
        and "//" not in url[len(media) - 1 :]
        and ".." not in url.split("/")
    )


class _TextParser(HTMLParser):
    """Collect text, with a space at each block boundary so words from two blocks don't join."""

    _BLOCKS = frozenset(
        {
            "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li",
            "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "hr", "div",
        }
    )  # fmt: skip
    # Never in sanitized HTML; skipped in case raw HTML comes here. Void elements can't nest.
    _HIDDEN = _DROP_WITH_CONTENT - {"embed", "frame"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
