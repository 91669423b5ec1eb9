"""Turning WordPress post text into SCIS rich text: shortcodes stripped,
paragraphs restored, HTML sanitised, a summary taken, the language guessed."""

import html
import re

import nh3

# Tags a news body keeps; everything else is unwrapped (its text stays),
# and <script>/<style> go with their content.
ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "sup",
    "sub",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# WordPress wraps these around content; [caption] keeps its image and text.
SELF_CLOSING_SHORTCODES = ("gallery", "playlist", "audio", "video", "wp_caption")
CAPTION_RE = re.compile(
    r"\[(?:caption|wp_caption)\b([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]",
    re.DOTALL | re.IGNORECASE,
)
EMBED_RE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
MEDIA_SHORTCODE_RE = re.compile(
    r"\[(video|audio)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL | re.IGNORECASE
)
PAIRED_SHORTCODE_RE = re.compile(
    r"\[([a-z_][\w-]*)\b[^\]]*\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE
)
LONE_SHORTCODE_RE = re.compile(
    r"\[(?:" + "|".join(SELF_CLOSING_SHORTCODES) + r")\b[^\]]*\]", re.IGNORECASE
)
ATTRIBUTE_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
CAPTION_SPLIT_RE = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)\s*(.*?)\s*$",
    re.DOTALL | re.IGNORECASE,
)
VIDEO_URL_RE = re.compile(
    r"https?://(?:www\.|m\.)?(?:youtube\.com/watch\?[^\s\"'<\]]+|youtu\.be/[^\s\"'<\]]+"
    r"|vimeo\.com/[^\s\"'<\]]+)",
    re.IGNORECASE,
)
BLOCK_START_RE = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|table|thead|tbody|tr|blockquote|figure|pre|hr"
    r"|dl|section|article|aside|header|footer|address|form|iframe|embed)\b",
    re.IGNORECASE,
)
TAG_RE = re.compile(r"<[^>]+>")
SPACE_RE = re.compile(r"\s+")
SENTENCE_END_RE = re.compile(r"(?<=[.!?。])\s+")
HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def attributes(text: str) -> dict[str, str]:
    """Attributes of a shortcode or tag, `name="value"` and friends."""
    return {
        match.group(1).lower(): html.unescape(
            next(g for g in match.groups()[1:] if g is not None)
        )
        for match in ATTRIBUTE_RE.finditer(text)
    }


def video_url(raw: str) -> str:
    """The first YouTube or Vimeo address in an [embed], [video] or the text."""
    for match in EMBED_RE.finditer(raw):
        url = match.group(1).strip()
        if url.startswith(("http://", "https://")) and len(url) <= 200:
            return url
    found = VIDEO_URL_RE.search(raw)
    if found and len(found.group(0)) <= 200:
        return found.group(0)
    return ""


def _caption(match: re.Match) -> str:
    options, inner = match.group(1), match.group(2)
    text = attributes(options).get("caption", "")
    split = CAPTION_SPLIT_RE.match(inner)
    if split:
        image, text = split.group(1), split.group(2) or text
    else:
        image = ""
        text = inner.strip() or text
    caption = f"<p>{text}</p>" if text else ""
    return f"\n\n<p>{image}</p>{caption}\n\n" if image else f"\n\n{caption}\n\n"


def _media_shortcode(match: re.Match) -> str:
    options = attributes(match.group(2))
    url = options.get("src") or next(
        (
            value
            for name, value in options.items()
            if name in ("mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a")
        ),
        "",
    )
    url = url or (match.group(3) or "").strip()
    if not url:
        return ""
    safe = html.escape(url, quote=True)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n'


def _embed(match: re.Match) -> str:
    url = match.group(1).strip()
    safe = html.escape(url, quote=True)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n' if url else ""


def strip_shortcodes(raw: str) -> str:
    """Replace WordPress shortcodes by what they show: [caption] by its image
    and caption, [embed]/[video]/[audio] by a link; drop [gallery] (its
    images are listed with the post's attachments) and unwrap any other
    paired shortcode, keeping its content."""
    text = CAPTION_RE.sub(_caption, raw)
    text = EMBED_RE.sub(_embed, text)
    text = MEDIA_SHORTCODE_RE.sub(_media_shortcode, text)
    previous = None
    while previous != text:  # nested pairs
        previous = text
        text = PAIRED_SHORTCODE_RE.sub(lambda m: m.group(2), text)
    return LONE_SHORTCODE_RE.sub("", text)


def autop(text: str) -> str:
    """WordPress's wpautop, simplified: blank lines separate paragraphs and a
    single line break inside one is a <br>. Block-editor content (already in
    <p> tags) is left alone."""
    if "<!-- wp:" in text:
        return text
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if BLOCK_START_RE.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def sanitise(markup: str) -> str:
    """Only the tags and attributes a news body may carry; no scripts, styles,
    event handlers or javascript: links."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()


def clean_body(raw: str) -> str:
    """The post's HTML as SCIS stores it, before media are resolved."""
    return sanitise(autop(strip_shortcodes(raw)))


def plain_text(markup: str) -> str:
    """Text of an HTML fragment on one line."""
    return SPACE_RE.sub(" ", html.unescape(TAG_RE.sub(" ", markup))).strip()


def clean_title(raw: str) -> str:
    """A WordPress title as text (WordPress stores entities and may keep tags)."""
    return plain_text(nh3.clean(raw or "", tags=set()))


def summary(excerpt: str, body: str, limit: int = 300) -> str:
    """The excerpt when the author wrote one, else the body's first
    sentence(s): whole sentences up to about `limit` characters."""
    text = plain_text(strip_shortcodes(excerpt or ""))
    if text:
        return text
    text = plain_text(body)
    if not text:
        return ""
    taken = ""
    for sentence in SENTENCE_END_RE.split(text):
        if taken and len(taken) + 1 + len(sentence) > limit:
            break
        taken = f"{taken} {sentence}".strip()
        if len(taken) >= limit // 2:
            break
    if len(taken) > limit:
        taken = taken[: limit - 1].rsplit(" ", 1)[0] + "…"
    return taken


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of `text` (0 when it has none)."""
    letters = sum(1 for char in text if char.isalpha())
    if not letters:
        return 0.0
    return len(HANGUL_RE.findall(text)) / letters


# Korean news often names programmes and places in Latin letters; a quarter
# Hangul is well above what English text with a Korean name or two reaches.
KOREAN_THRESHOLD = 0.25


def detect_language(text: str, default: str = "ko") -> str:
    """ "ko" or "en" from the text itself; `default` when it has no letters."""
    if not any(char.isalpha() for char in text):
        return default
    return "ko" if hangul_share(text) >= KOREAN_THRESHOLD else "en"
