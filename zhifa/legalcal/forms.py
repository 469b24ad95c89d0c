from typing import Any

from django import forms

from zhifa.legalcal import periods
from zhifa.legalcal.actions import MAX_YEAR, MIN_YEAR

TEXT_HELP = ("每行一条：“2027-01-01 元旦 休”、“2027-02-07 春节调休 班”，连续多日可写作"
             "“2027-02-15~2027-02-21 春节 休”。周六、周日放假的可不列；以 # 开头的行为注释。")


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=MIN_YEAR, max_value=MAX_YEAR)
    notice = forms.CharField(label="放假安排通知文号", max_length=200,
                             help_text="如：国办发明电〔2025〕7号")
    text = forms.CharField(label="放假及调休安排", widget=forms.Textarea(attrs={"rows": 18, "cols": 60}),
                           help_text=TEXT_HELP)
    confirmed = forms.BooleanField(label="已与通知原文逐日核对", required=False, initial=True)
    replace = forms.BooleanField(label="替换已有数据", required=False,
                                 help_text="该年度已由 chinesecalendar 数据包载入时，需勾选本项才能以官方通知替换")


class NoticePasteForm(forms.Form):
    text = forms.CharField(label="放假安排通知原文", widget=forms.Textarea(attrs={"rows": 20, "cols": 80}),
                           help_text="粘贴《国务院办公厅关于某年部分节假日安排的通知》全文（含标题）。"
                                     "系统逐句识别放假日和调休上班日，确认无误后保存；通知原文一并保存。")
    replace = forms.BooleanField(label="替换已有数据", required=False,
                                 help_text="该年度已由 chinesecalendar 数据包载入时，需勾选本项才能以官方通知替换")


PERIOD_CHOICES = [("", "（自定义期间）")] + [
    (key, f"{p.label}：{p.text}（{p.basis}）") for key, p in periods.PERIODS.items()]
UNIT_CHOICES = [(periods.WORKING, "工作日"), (periods.CALENDAR, "日（自然日）"), (periods.MONTHS, "月")]
MAX_N = {periods.WORKING: 1000, periods.CALENDAR: 3660, periods.MONTHS: 120}


class DeadlineForm(forms.Form):
    start = forms.DateField(label="起算日（当日不计入）", widget=forms.DateInput(attrs={"type": "date"}),
                            input_formats=["%Y-%m-%d"])
    period = forms.ChoiceField(label="法定期限", choices=PERIOD_CHOICES, required=False)
    n = forms.IntegerField(label="期间长度", min_value=0, required=False,
                           help_text="未选择法定期限时填写")
    unit = forms.ChoiceField(label="期间单位", choices=UNIT_CHOICES, required=False, initial=periods.WORKING)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        key = data.get("period")
        if key:
            p = periods.PERIODS[key]
            data["n"], data["unit"], data["basis"], data["label"] = p.n, p.unit, p.basis, p.label
            return data
        unit = data.get("unit") or periods.WORKING
        data["unit"], data["basis"], data["label"] = unit, "", ""
        if data.get("n") is None:
            if "n" not in self.errors:
                self.add_error("n", "请选择法定期限或填写期间长度")
        elif data["n"] > MAX_N[unit]:
            self.add_error("n", f"期间长度不能超过{MAX_N[unit]}")
        return data
