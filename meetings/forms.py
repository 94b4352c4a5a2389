from django import forms
from django.utils.translation import gettext_lazy as _

from core.japanese import wareki

from .models import Meeting


class NextMeetingForm(forms.ModelForm):
    """次回の会議を準備: its date (after the previous one), name and subject."""

    class Meta:
        model = Meeting
        fields = ("held_on", "name", "subject")
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, previous: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on <= self.previous.held_on:
            raise forms.ValidationError(
                _("次回の会議の日付は前回の会議（%(date)s）より後にしてください。")
                % {"date": wareki(self.previous.held_on)}
            )
        return held_on
