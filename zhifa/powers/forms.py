from django import forms

from zhifa.common.crud import ScopedModelForm
from zhifa.powers.flow import check_steps, parse_lines, to_lines
from zhifa.powers.models import DiscretionBenchmark, Flowchart, InspectionItem, PowerItem, ServiceGuide

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PowerItemForm(ScopedModelForm):
    class Meta:
        model = PowerItem
        fields = ["entity", "unit", "code", "name", "category", "law", "article", "basis_text",
                  "duties", "accountability", "supervision_code", "effective_from"]
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
            self.instance.steps = data["steps"]  # not a Meta field: the model's clean() checks it
        return data

    def _update_errors(self, errors):
        # The model's own check of `steps` belongs to the text field (the form has no `steps`).
        if hasattr(errors, "error_dict") and "steps" in errors.error_dict:
            messages = errors.error_dict.pop("steps")
            if "steps_text" not in self._errors:
                self.add_error("steps_text", messages)
            if not errors.error_dict:
                return
        super()._update_errors(errors)


class DiscretionBenchmarkForm(ScopedModelForm):
    """裁量基准: the levels are edited as text, one level per line (see discretion.LINE_HELP)."""

    levels_text = forms.CharField(label="裁量档位", widget=forms.Textarea(attrs={"rows": 8}))

    class Meta:
        model = DiscretionBenchmark
        fields = ["entity", "power_item_code", "violation", "basis", "effective_from"]
        widgets = {"effective_from": DATE, "basis": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        from zhifa.powers.discretion import LINE_HELP, to_lines

        super().__init__(*args, **kwargs)
        self.fields["levels_text"].help_text = LINE_HELP
        if self.instance and self.instance.pk:
            self.initial["levels_text"] = to_lines(self.instance.levels)

    def clean_levels_text(self):
        from zhifa.powers.discretion import clean_levels, parse_lines

        try:
            levels = parse_lines(self.cleaned_data["levels_text"])
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None
        levels, problems = clean_levels(levels)
        if problems:
            raise forms.ValidationError(problems)
        return levels

    def clean(self):
        data = super().clean()
        if "levels_text" in data:
            data["levels"] = data.pop("levels_text")
            if self.instance.pk is None or data["levels"] != self.instance.levels:
                self.changed_data.append("levels")
            self.instance.levels = data["levels"]  # validated with the instance in _post_clean
        return data

    def _update_errors(self, errors):
        # The model reports its levels under "levels"; on this form they belong to the text field
        # (and are dropped when the text itself was already refused).
        if hasattr(errors, "error_dict") and "levels" in errors.error_dict:
            problems = errors.error_dict.pop("levels")
            if "levels_text" not in self._errors:
                errors.error_dict["levels_text"] = problems
            if not errors.error_dict:
                return
        super()._update_errors(errors)
