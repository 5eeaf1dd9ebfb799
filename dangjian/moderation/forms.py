from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.moderation.files import MAX_TERM_LENGTH
from dangjian.moderation.models import ActionChoice, Category, Screening


class TermForm(forms.Form):
    text = forms.CharField(label=_("Term"), max_length=MAX_TERM_LENGTH)
    category = forms.ModelChoiceField(
        label=pgettext_lazy("moderation", "Category"),
        queryset=Category.objects.listable(),
        to_field_name="code",
        empty_label=None,
    )
    action = forms.ChoiceField(
        label=pgettext_lazy("moderation", "Action"),
        choices=[("", _("The category's default")), *ActionChoice.choices],
        required=False,
    )


class PhraseForm(forms.Form):
    text = forms.CharField(label=_("Allowed phrase"), max_length=MAX_TERM_LENGTH)


class CategoryForm(forms.Form):
    default_action = forms.ChoiceField(label=_("Default action"), choices=ActionChoice.choices)
    pinyin = forms.BooleanField(label=_("Match pinyin"), required=False)
    homophones = forms.BooleanField(label=_("Match homophones"), required=False)


class OptionsForm(forms.Form):
    chinese_numerals = forms.BooleanField(
        label=_("Read Chinese numerals as digits"), required=False
    )
    personal_data = forms.ChoiceField(
        label=_("Personal data in public text"), choices=ActionChoice.choices
    )


class ImportForm(forms.Form):
    KIND_CHOICES = [("terms", _("Sensitive words")), ("phrases", _("Allowed phrases"))]

    kind = forms.ChoiceField(label=_("The file lists"), choices=KIND_CHOICES, initial="terms")
    file = forms.FileField(
        label=_("File (.txt or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.xlsx,.csv"}),
    )
    default_category = forms.ModelChoiceField(
        label=_("Category for lines that give none"),
        queryset=Category.objects.listable(),
        to_field_name="code",
        required=False,
        empty_label=_("None: every line gives its category"),
    )
    keep_valid = forms.BooleanField(
        label=_("Import the valid lines even if some lines have problems"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".txt", ".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload a .txt or .xlsx file."))
        return upload


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author sees it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label=_("Note (optional)"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=Screening.State.choices, required=False, initial=Screening.State.HELD
    )
    category = forms.ChoiceField(required=False)
    source = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, sources: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category: Any = self.fields["category"]
        category.choices = [
            ("", _("All categories")),
            *Category.objects.values_list("code", "name"),
        ]
        source: Any = self.fields["source"]
        source.choices = [("", _("Everywhere")), *sources]


class TryForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )


MONITORING_DAYS = [(7, _("7 days")), (30, _("30 days")), (90, _("90 days")), (365, _("1 year"))]
