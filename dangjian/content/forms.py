"""The shapes of the content pages' input; the rules are the services' (services.item_save)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.content import selectors
from dangjian.content.models import (
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Item,
    ResearchKind,
    ResearchStatus,
    Section,
    State,
    Upload,
)
from dangjian.orgs.models import Organization

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")
AUDIENCE_ALL = "all"
AUDIENCE_ORGS = "orgs"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_FORMAT)


def datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class ColumnSelect(forms.Select):
    """Each column's option names its section, so the page offers only the section's columns."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-section"] = instance.section
        return option


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def split_tags(text: str) -> list[str]:
    return [part.strip() for part in TAG_SEPARATORS.split(text or "") if part.strip()]


class ItemForm(forms.Form):
    """A writer's item: what they fill in. The view uploads new files first (so a refused save
    keeps them, as `cover` and `attachments`), then hands the rest to services.item_save."""

    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    owner = forms.ModelChoiceField(
        label=_("Publishing organization"), queryset=Organization.objects.none(), empty_label=None
    )
    category = forms.ModelChoiceField(
        label=pgettext_lazy("content", "Column"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("No column"),
        widget=ColumnSelect,
    )
    title = forms.CharField(label=pgettext_lazy("content", "Title"), max_length=TITLE_MAX_LENGTH)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown in the lists and in the members' inboxes; left blank, the text's start is used."
        ),
    )
    body = forms.CharField(
        label=pgettext_lazy("content", "Text"), required=False, widget=forms.HiddenInput
    )
    byline = forms.CharField(label=_("Author credit"), max_length=60, required=False)
    cover = forms.ModelChoiceField(
        queryset=Upload.objects.none(), required=False, widget=forms.HiddenInput
    )
    cover_file = forms.FileField(
        label=_("Cover picture"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
        help_text=_("JPEG, PNG, GIF or WebP; shown on the cards of the lists."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover picture"), required=False)
    attachments = forms.ModelMultipleChoiceField(
        label=_("Attachments"),
        queryset=Upload.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment_files = MultipleFileField(
        label=_("Add attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, WPS, text or ZIP files."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Separate tags with commas, for example: 主题党日, 学习"),
    )
    audience = forms.ChoiceField(
        label=_("Shown to"),
        choices=[
            (AUDIENCE_ALL, _("The whole university")),
            (AUDIENCE_ORGS, _("Chosen organizations and the organizations under them")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=AUDIENCE_ALL,
    )
    targets = forms.ModelMultipleChoiceField(
        label=_("Organizations"), queryset=Organization.objects.none(), required=False
    )
    publish_at = datetime_field(_("Publication time"))
    comments_enabled = forms.BooleanField(label=_("Allow comments"), required=False)
    send_notification = forms.BooleanField(
        label=_("Send to the members' inboxes when it is published"),
        required=False,
        help_text=_("Members get it as a message, and you see who has read it."),
    )
    starts_at = datetime_field(_("Starts at"))
    ends_at = datetime_field(_("Ends at"))
    location = forms.CharField(label=_("Place"), max_length=100, required=False)
    procedure = forms.CharField(
        label=_("Procedure code"),
        max_length=64,
        required=False,
        help_text=_(
            "The procedure this guide explains, for example development.application; "
            "its pages link here."
        ),
    )
    research_kind = forms.ChoiceField(
        label=_("Research type"), choices=[("", "—"), *ResearchKind.choices], required=False
    )
    research_status = forms.ChoiceField(
        label=_("Research status"), choices=[("", "—"), *ResearchStatus.choices], required=False
    )
    research_members = forms.CharField(label=_("Project members"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, item: Item | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        orgs = selectors.writable_orgs(user)
        fields: Any = self.fields
        fields["owner"].queryset = orgs
        fields["targets"].queryset = orgs
        mine: Q = Q(uploaded_by=user, item__isnull=True)
        if item is not None:
            mine |= Q(item=item)
        uploads: QuerySet[Upload] = Upload.objects.filter(mine)
        fields["cover"].queryset = uploads.filter(kind=Upload.Kind.IMAGE)
        fields["attachments"].queryset = uploads.filter(kind=Upload.Kind.FILE)

    @classmethod
    def initial_for(cls, item: Item | None, *, user: Any, section: str = "") -> dict[str, Any]:
        if item is None:
            orgs = list(selectors.writable_orgs(user)[:1])
            owner = orgs[0] if orgs else None
            section = section if section in Section.values else Section.NEWS
            whole = owner is not None and owner.parent_id is None
            return {
                "section": section,
                "owner": owner,
                "audience": AUDIENCE_ALL if whole else AUDIENCE_ORGS,
                "targets": [owner] if owner is not None and not whole else [],
                "send_notification": section == Section.NOTICE,
            }
        return {
            "section": item.section,
            "owner": item.owner,
            "category": item.category,
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "byline": item.byline,
            "cover": item.cover,
            "attachments": list(item.uploads.filter(is_attachment=True)),
            "tags": ", ".join(t.name for t in item.tags.all()),
            "audience": AUDIENCE_ALL if item.target_all else AUDIENCE_ORGS,
            "targets": list(item.targets.all()),
            "publish_at": item.publish_at if item.state != State.PUBLISHED else None,
            "comments_enabled": item.comments_enabled,
            "send_notification": item.send_notification,
            "starts_at": item.starts_at,
            "ends_at": item.ends_at,
            "location": item.location,
            "procedure": item.procedure,
            "research_kind": item.research_kind,
            "research_status": item.research_status,
            "research_members": item.research_members,
        }

    def selected_uploads(self, name: str) -> list[Upload]:
        """The uploads a field holds now (for showing them beside their inputs)."""
        field: Any = self.fields[name]
        if self.is_bound:
            data: Any = self.data
            values = data.getlist(name) if name == "attachments" else [data.get(name)]
        else:
            initial = self.initial.get(name)
            values = initial if isinstance(initial, list) else [initial]
            values = [getattr(v, "pk", v) for v in values]
        ids = [int(v) for v in values if v not in (None, "") and str(v).isdigit()]
        return list(field.queryset.filter(pk__in=ids)) if ids else []


class FeedFilterForm(forms.Form):
    after = forms.CharField(required=False, max_length=80)
    tag = forms.CharField(required=False, max_length=20)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    section = forms.ChoiceField(
        label=_("Section"), choices=[("", _("All sections")), *Section.choices], required=False
    )


class WriterFilterForm(forms.Form):
    section = forms.ChoiceField(
        label=_("Section"), choices=[("", _("All sections")), *Section.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False
    )
    q = forms.CharField(label=pgettext_lazy("content", "Title"), required=False, max_length=100)
    # From the column management page's counts: the items of one column.
    column = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what should change, so the writer can fix it.")},
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=Upload.Kind.choices, initial=Upload.Kind.IMAGE)
    file = forms.FileField(error_messages={"required": _("Choose a file to upload.")})


# -- Columns and reading statistics ----------------------------------------------------------


class ColumnForm(forms.Form):
    """A new column; the name's rules (length, unique in its section) are the service's."""

    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    name = forms.CharField(label=_("Column name"), widget=forms.TextInput(attrs={"maxlength": 40}))


class ColumnRenameForm(forms.Form):
    name = forms.CharField(label=_("Column name"), widget=forms.TextInput(attrs={"maxlength": 40}))


class ColumnDeleteForm(forms.Form):
    move_to = forms.ModelChoiceField(
        label=_("Move its items to"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Choose a column"),
    )

    def __init__(self, *args: Any, column: Category, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["move_to"]
        field.queryset = Category.objects.filter(section=column.section).exclude(pk=column.pk)


PERIOD_CHOICES = [
    (7, _("7 days")),
    (30, _("30 days")),
    (90, _("90 days")),
    (365, _("1 year")),
]
SORT_CHOICES = [("views", _("Views")), ("readers", _("Unique readers"))]


class OrganizationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Organizations as a tree: each indented under its parent."""

    top = 0

    def label_from_instance(self, obj: Any) -> str:
        depth: int = obj.depth
        return "\u3000" * max(0, min(depth - self.top, 6)) + str(obj.display_name)


class StatisticsFilterForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"), choices=PERIOD_CHOICES, coerce=int, required=False
    )
    organization = OrganizationChoiceField(
        label=_("Readers in"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Readers in every organization"),
        to_field_name="code",
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(
        self, *args: Any, orgs: QuerySet[Organization], top: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.queryset = orgs
        field.top = top  # the depth of the shallowest organization offered

    def filters(self) -> dict[str, Any]:
        """The valid filters, the defaults in place of the invalid ones."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "days": data.get("days") or 30,
            "sort": data.get("sort") or "views",
            "organization": data.get("organization"),
        }
