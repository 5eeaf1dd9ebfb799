"""Forms of the contribution pages; the services check the rules, these only shape input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.content.models import SUMMARY_MAX_LENGTH, TITLE_MAX_LENGTH
from dangjian.contributions.models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Wish,
)
from dangjian.contributions.services import Desk


class MultiplePictureInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PictureFilesField(forms.FileField):
    """Several pictures at once; the view stores them itself (content.services.upload_create),
    so the form only draws the input."""

    widget = MultiplePictureInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        return None


class ArticleForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("article", "Title"),
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    section = forms.ChoiceField(
        label=_("Section"),
        choices=Wish.choices,
        initial=Wish.NEWS,
        help_text=_("Where you would like it to appear; the editors may choose another."),
    )
    desk = forms.ChoiceField(
        label=_("Send to"),
        choices=Desk.CHOICES,
        initial=Desk.COMMITTEE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Each line is a paragraph. Plain text: the editors lay it out."),
        strip=False,
    )
    new_pictures = PictureFilesField(
        label=_("Pictures"),
        required=False,
        widget=MultiplePictureInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_("Up to 9 JPEG, PNG, GIF or WebP pictures, each at most 10 MB."),
    )
    note = forms.CharField(
        label=_("Note to the editors"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: who took the pictures, when it happened, how to reach you."),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the author"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what should change, so the author can revise it.")},
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason; the author reads it.")},
    )


class PublishForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("article", "Title"), max_length=TITLE_MAX_LENGTH)
    section = forms.ChoiceField(label=_("Section"), choices=Wish.choices)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown in lists; leave it empty to use the beginning of the text."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16, "data-rich-editor": ""}),
        strip=False,
    )
    pictures = forms.MultipleChoiceField(
        label=_("Pictures to add at the end of the article"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cover = forms.BooleanField(
        label=_("Use the first chosen picture as the cover"), required=False, initial=True
    )
    whole_university = forms.BooleanField(
        label=_("Show it to the whole university"),
        required=False,
        initial=True,
        help_text=_("Otherwise it is shown to the organization it was addressed to."),
    )

    def __init__(self, *args: Any, pictures: list[tuple[str, str]], whole: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["pictures"].choices = pictures
        if not pictures:
            del fields["pictures"]
            del fields["cover"]
        if not whole:
            del fields["whole_university"]
