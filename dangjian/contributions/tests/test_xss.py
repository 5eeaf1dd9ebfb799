"""What authors write is shown as text to the editors: payloads in the title, text and note
stay inert on the desk, the detail pages and the publishing form."""

from __future__ import annotations

from html.parser import HTMLParser

from dangjian.contributions import services
from dangjian.contributions.tests.base import ContributionTestCase

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "<svg/onload=alert(3)>",
    "javascript:alert(4)",
    '<a href="javascript:alert(5)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "{{ request.user.password }}",
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(6)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(7)>",
]
FORBIDDEN_TAGS = {"iframe", "svg", "math", "object", "embed", "style"}


class _Inspector(HTMLParser):
    """Collect what a browser would run: handlers, foreign elements, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.found.append("<script> without a static source")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag}[{name}={value}]")


def dangers(html: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.found


class XssTestCase(ContributionTestCase):
    def test_payloads_are_inert_on_every_page(self):
        contributions = []
        for index, payload in enumerate(PAYLOADS):
            result = services.contribution_submit(
                actor=self.user("member1"),
                data=services.ArticleInput(
                    title=f"{index}{payload}",
                    text=f"第一段{payload}\n{payload}第二段",
                    note=payload,
                ),
            )
            contributions.append(result.contribution)
            body = result.contribution.body
            self.assertEqual(dangers(body), [])
        editor = self.client_for("editor1")
        member = self.client_for("member1")
        pages = [
            (editor, "/contributions/desk/"),
            (member, "/contributions/"),
        ]
        for c in contributions:
            pages += [
                (editor, f"/contributions/desk/{c.pk}/"),
                (member, f"/contributions/{c.pk}/"),
            ]
        last = contributions[-1]
        services.contribution_accept(actor=self.user("editor1"), contribution=last)
        pages.append((editor, f"/contributions/desk/{last.pk}/publish/"))
        services.contribution_return(
            actor=self.user("editor1"), contribution=contributions[0], comment=PAYLOADS[1]
        )
        pages += [
            (member, f"/contributions/{contributions[0].pk}/"),
            (member, f"/contributions/{contributions[0].pk}/edit/"),
        ]
        for client, url in pages:
            with self.subTest(url=url):
                response = client.get(url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertEqual(dangers(html), [])
                self.assertNotIn("{{ request", html.replace("{{ request.user.password }}", ""))
        # The text is there, escaped, not lost.
        detail = editor.get(f"/contributions/desk/{contributions[0].pk}/").content.decode()
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", detail)

    def test_a_publishing_editor_cannot_slip_script_into_the_article(self):
        contribution = self.submit()
        services.contribution_accept(actor=self.user("editor1"), contribution=contribution)
        item = services.contribution_publish(
            actor=self.user("editor1"),
            contribution=contribution,
            data=services.PublishInput(
                title="<b>标题</b>",
                body='<p onclick="x()">正文</p><script>alert(1)</script><img src=x onerror=y>',
                section="news",
            ),
        )
        self.assertEqual(item.title, "<b>标题</b>")  # plain text, escaped where shown
        self.assertEqual(dangers(item.body), [])
        self.assertNotIn("onclick", item.body)
