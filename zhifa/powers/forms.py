from django import forms

from zhifa.common.crud import ScopedModelForm
from zhifa.powers.flow import check_steps, parse_lines, to_lines
from zhifa.powers.models import Flowchart, InspectionItem, PowerItem, ServiceGuide

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PowerItemForm(ScopedModelForm):
    class Meta:
        model = PowerItem
        fields = ["entity", "unit", "code", "name", "category", "law", "article", "basis_text",
                  "duties", "accountability", "effective_from"]
        widgets = {"effective_from": DATE}


class InspectionItemForm(ScopedModelForm):
    class Meta:
        model = InspectionItem
        fields = ["entity", "power_item_code", "code", "name", "kind", "ratio", "frequency",
                  "targets", "method", "law", "effective_from"]
        widgets = {"effective_from": DATE}


class ServiceGuideForm(ScopedModelForm):
    class Meta:
        model = ServiceGuide
        fields = ["entity", "power_item_code", "title", "basis", "accepting_unit", "approving_unit",
                  "materials", "steps", "time_limit", "office_hours", "address", "phone", "fee",
                  "effective_from"]
        widgets = {"effective_from": DATE}


class FlowchartForm(ScopedModelForm):
    steps_text = forms.CharField(
        label="流程步骤", widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一步：编号|名称|类型(start/task/decision/end)|下一步编号(逗号分隔)")

    class Meta:
        model = Flowchart
        fields = ["entity", "title", "power_category", "effective_from"]
        widgets = {"effective_from": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.initial["steps_text"] = to_lines(self.instance.steps)

    def clean_steps_text(self):
        steps = parse_lines(self.cleaned_data["steps_text"])
        problem = check_steps(steps)
        if problem:
            raise forms.ValidationError(problem)
        return steps

    def clean(self):
        data = super().clean()
        if "steps_text" in data:
            data["steps"] = data.pop("steps_text")
            if self.instance.pk is None or data["steps"] != self.instance.steps:
                self.changed_data.append("steps")
        return data
