"""Column management: the university's editors add, rename, reorder and delete the columns of
each section; a column with items is deleted only by moving its items to another column of
the same section; every change is audited; no one else reaches the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.audit.models import AuditEntry
from dangjian.content import columns, services
from dangjian.content.models import Category, Item, Section
from dangjian.content.services import ItemInput
from dangjian.testing.base import BaseTestCase


class ColumnsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.editor = self.uni.user("editor1")
        self.news = list(Category.objects.filter(section=Section.NEWS).order_by("position"))

    def item(self, column: Category | None, title: str = "学校党委召开会议") -> Item:
        return services.item_save(
            actor=self.editor,
            data=ItemInput(
                section=column.section if column else Section.NEWS,
                title=title,
                owner=self.uni.root,
                category=column,
            ),
        )

    def audit(self, action: str) -> list[AuditEntry]:
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))

    def post(self, persona: str, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client_for(persona).post(url, data or {})


class ListTests(ColumnsTestCase):
    def test_it_lists_every_section_with_its_columns_and_their_item_counts(self):
        first = self.news[0]
        self.item(first)
        self.item(first, "第二篇")
        page = self.client_for("editor1").get("/content/columns/")
        self.assertEqual(page.status_code, 200)
        for value, label in Section.choices:
            self.assertContains(page, f'id="section-{value}"')
            self.assertContains(page, str(label))
        self.assertContains(page, first.name)
        self.assertContains(page, f'href="/content/manage/?column={first.pk}">Items: 2</a>')
        self.assertContains(page, f'href="/content/manage/?column={self.news[1].pk}">Items: 0</a>')

    def test_its_queries_do_not_grow_with_the_columns(self):
        client = self.client_for("editor1")
        client.get("/content/columns/")
        with CaptureQueriesContext(connection) as before:
            client.get("/content/columns/")
        for n in range(6):
            Category.objects.create(section=Section.RESEARCH, name=f"栏目{n}", position=10 + n)
            self.item(self.news[n % len(self.news)], f"稿件{n}")
        with CaptureQueriesContext(connection) as after:
            client.get("/content/columns/")
        self.assertEqual(len(before), len(after))

    def test_the_count_leads_to_the_columns_items(self):
        first, second = self.news[0], self.news[1]
        self.item(first, "第一栏目的稿件")
        self.item(second, "第二栏目的稿件")
        page = self.client_for("editor1").get("/content/manage/", {"column": first.pk})
        self.assertContains(page, "第一栏目的稿件")
        self.assertNotContains(page, "第二栏目的稿件")
        self.assertContains(page, f"Column: {first.name}")

    def test_writers_pick_the_new_column_in_the_editor_by_its_section(self):
        columns.column_create(actor=self.editor, section=Section.NOTICE, name="紧急通知")
        page = self.client_for("secretary1").get("/content/manage/new/?section=notice")
        self.assertContains(page, 'data-section="notice">紧急通知</option>', html=False)


class CreateTests(ColumnsTestCase):
    def test_it_adds_a_column_at_the_end_of_its_section_and_audits_it(self):
        response = self.post(
            "editor1", "/content/columns/new/", {"section": "news", "name": "校友风采"}
        )
        self.assertRedirects(
            response, "/content/columns/#section-news", fetch_redirect_response=False
        )
        column = Category.objects.get(section=Section.NEWS, name="校友风采")
        self.assertEqual(column.position, self.news[-1].position + 1)
        [entry] = self.audit("content.column.created")
        self.assertEqual(entry.actor, self.editor)
        self.assertEqual(entry.target_id, str(column.pk))
        self.assertEqual(entry.changes["name"], [None, "校友风采"])

    def test_a_name_taken_in_the_section_is_refused_beside_the_field(self):
        taken = self.news[0].name
        response = self.post(
            "orgdept", "/content/columns/new/", {"section": "news", "name": f" {taken.upper()} "}
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(
            response, f"News already has a column named “{taken.upper()}”", status_code=422
        )
        self.assertContains(response, 'id="id_name_error"', status_code=422)
        self.assertEqual(Category.objects.filter(section=Section.NEWS).count(), len(self.news))
        self.assertFalse(self.audit("content.column.created"))
        # The same name in another section is another column.
        other = columns.column_create(actor=self.editor, section=Section.RESEARCH, name=taken)
        self.assertEqual(other.name, taken)

    def test_an_empty_or_overlong_name_is_refused_with_its_rule(self):
        empty = self.post("editor1", "/content/columns/new/", {"section": "news", "name": "  "})
        self.assertEqual(empty.status_code, 422)
        self.assertContains(empty, "This field is required.", status_code=422)
        long = self.post("editor1", "/content/columns/new/", {"section": "news", "name": "长" * 41})
        self.assertContains(long, "at most 40 characters; this one has 41", status_code=422)
        with self.assertRaises(ValidationError) as caught:
            columns.column_create(actor=self.editor, section="gossip", name="闲谈")
        self.assertIn("section", caught.exception.message_dict)


class RenameTests(ColumnsTestCase):
    def test_it_renames_a_column_its_items_keep_it_and_the_change_is_audited(self):
        column = self.news[0]
        item = self.item(column)
        url = f"/content/columns/{column.pk}/"
        self.assertContains(self.client_for("editor1").get(url), f'value="{column.name}"')
        response = self.post("editor1", url, {"name": "全校要闻"})
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual(item.category.name, "全校要闻")
        [entry] = self.audit("content.column.renamed")
        self.assertEqual(entry.changes, {"name": [column.name, "全校要闻"]})

    def test_renaming_to_a_taken_name_is_refused(self):
        first, second = self.news[0], self.news[1]
        response = self.post("editor1", f"/content/columns/{first.pk}/", {"name": second.name})
        self.assertContains(response, "already has a column named", status_code=422)
        first.refresh_from_db()
        self.assertNotEqual(first.name, second.name)
        self.assertFalse(self.audit("content.column.renamed"))

    def test_the_same_name_again_changes_nothing(self):
        first = self.news[0]
        columns.column_rename(actor=self.editor, column=first, name=first.name)
        self.assertFalse(self.audit("content.column.renamed"))


class MoveTests(ColumnsTestCase):
    def order(self) -> list[str]:
        return list(
            Category.objects.filter(section=Section.NEWS)
            .order_by("position", "name")
            .values_list("name", flat=True)
        )

    def test_it_moves_a_column_up_and_down_and_numbers_the_section_again(self):
        names = [c.name for c in self.news]
        last = self.news[-1]
        response = self.post("editor1", f"/content/columns/{last.pk}/up/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.order(), [*names[:-2], names[-1], names[-2]])
        self.assertEqual(
            list(Category.objects.filter(section=Section.NEWS).values_list("position", flat=True)),
            list(range(len(names))),
        )
        [entry] = self.audit("content.column.moved")
        self.assertEqual(entry.target_id, str(last.pk))
        self.post("editor1", f"/content/columns/{last.pk}/down/")
        self.assertEqual(self.order(), names)

    def test_moving_past_an_end_changes_nothing(self):
        first = self.news[0]
        response = self.client_for("editor1").post(f"/content/columns/{first.pk}/up/", follow=True)
        self.assertContains(response, "is first already")
        self.assertFalse(self.audit("content.column.moved"))
        self.assertEqual(
            self.post("editor1", f"/content/columns/{first.pk}/left/").status_code, 404
        )


class DeleteTests(ColumnsTestCase):
    def test_an_empty_column_is_deleted_and_audited(self):
        column = columns.column_create(actor=self.editor, section=Section.NEWS, name="临时栏目")
        url = f"/content/columns/{column.pk}/delete/"
        self.assertContains(self.client_for("editor1").get(url), "No item is filed under")
        response = self.post("editor1", url)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Category.objects.filter(pk=column.pk).exists())
        [entry] = self.audit("content.column.deleted")
        self.assertEqual(entry.detail["moved_items"], 0)

    def test_a_column_with_items_is_refused_naming_how_many(self):
        column = self.news[0]
        items = [self.item(column, f"稿件{n}") for n in range(3)]
        url = f"/content/columns/{column.pk}/delete/"
        page = self.client_for("editor1").get(url)
        self.assertContains(page, "Items filed under this column: 3.")
        self.assertContains(page, 'name="move_to"')
        response = self.post("editor1", url)
        self.assertContains(
            response,
            f"The column “{column.name}” still holds items (3); choose another column of News",
            status_code=422,
        )
        self.assertTrue(Category.objects.filter(pk=column.pk).exists())
        self.assertEqual(
            Item.objects.filter(pk__in=[i.pk for i in items], category=column).count(), 3
        )
        self.assertFalse(self.audit("content.column.deleted"))

    def test_its_items_move_to_another_column_of_the_section_then_it_is_deleted(self):
        column, target = self.news[0], self.news[1]
        items = [self.item(column, f"稿件{n}") for n in range(2)]
        kept = self.item(target, "原有稿件")
        url = f"/content/columns/{column.pk}/delete/"
        response = self.client_for("editor1").post(url, {"move_to": target.pk}, follow=True)
        self.assertContains(response, f"the items in it (2) are now in “{target.name}”")
        self.assertFalse(Category.objects.filter(pk=column.pk).exists())
        self.assertEqual(
            set(Item.objects.filter(category=target).values_list("pk", flat=True)),
            {items[0].pk, items[1].pk, kept.pk},
        )
        moved = self.audit("content.item.changed")[-2:]
        self.assertEqual({e.target_id for e in moved}, {str(i.pk) for i in items})
        self.assertEqual(moved[0].changes, {"category": [column.pk, target.pk]})
        [entry] = self.audit("content.column.deleted")
        self.assertEqual(entry.detail["moved_items"], 2)
        self.assertEqual(entry.detail["moved_to"], target.name)

    def test_items_never_move_to_a_column_of_another_section(self):
        column = self.news[0]
        self.item(column)
        notice = Category.objects.filter(section=Section.NOTICE).first()
        assert notice is not None
        # The page offers only the section's columns ...
        response = self.post(
            "editor1", f"/content/columns/{column.pk}/delete/", {"move_to": notice.pk}
        )
        self.assertContains(response, "Select a valid choice", status_code=422)
        # ... and the service refuses another section's column itself.
        with self.assertRaises(ValidationError) as caught:
            columns.column_delete(actor=self.editor, column=column, move_to=notice)
        self.assertIn("another column of News", caught.exception.message_dict["move_to"][0])
        with self.assertRaises(ValidationError):
            columns.column_delete(actor=self.editor, column=column, move_to=column)
        self.assertTrue(Category.objects.filter(pk=column.pk).exists())

    def test_a_lone_column_with_items_says_to_add_another_first(self):
        lone = Category.objects.create(section=Section.SHOWCASE, name="唯一栏目", position=0)
        Category.objects.filter(section=Section.SHOWCASE).exclude(pk=lone.pk).delete()
        self.item(lone)
        page = self.client_for("editor1").get(f"/content/columns/{lone.pk}/delete/")
        self.assertContains(page, "has no other column to move them to")
        self.assertNotContains(page, 'id="column-delete-button"')


class ScopeTests(ColumnsTestCase):
    def test_only_the_universitys_publishers_manage_columns(self):
        column = self.news[0]
        urls = [
            ("get", "/content/columns/"),
            ("post", "/content/columns/new/"),
            ("get", f"/content/columns/{column.pk}/"),
            ("post", f"/content/columns/{column.pk}/up/"),
            ("post", f"/content/columns/{column.pk}/delete/"),
        ]
        for persona in ("committee1", "secretary1", "member1", "sysadmin"):
            client = self.client_for(persona)
            for method, url in urls:
                with self.subTest(persona=persona, url=url):
                    response = getattr(client, method)(url, {"section": "news", "name": "越权"})
                    self.assertEqual(response.status_code, 404)
        self.assertTrue(Category.objects.filter(pk=column.pk).exists())
        self.assertFalse(Category.objects.filter(name="越权").exists())

    def test_the_services_refuse_a_committee_organizer(self):
        organizer = self.uni.user("committee1")
        column = self.news[0]
        with self.assertRaises(PermissionDenied):
            columns.column_create(actor=organizer, section=Section.NEWS, name="越权")
        with self.assertRaises(PermissionDenied):
            columns.column_rename(actor=organizer, column=column, name="越权")
        with self.assertRaises(PermissionDenied):
            columns.column_move(actor=organizer, column=column, direction="down")
        with self.assertRaises(PermissionDenied):
            columns.column_delete(actor=organizer, column=column)
        self.assertFalse(AuditEntry.objects.filter(action__startswith="content.column.").exists())
