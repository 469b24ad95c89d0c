"""Forms of the case pages: list filters, the four new-case forms with their parties, and one
small form per transition (its payload for the matching `do_*` action).

Forms only shape input; every rule is the core's (zhifa.cases.rules), whose refusals the views
put back on these forms.
"""
from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone

from zhifa.cases.machine import STATES
from zhifa.cases.models import Case, CaseOfficer, Kind, Party, PenaltyKind, Source
from zhifa.common.roles import Role
from zhifa.common.templatetags.money import format_yuan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = dict(required=False, min_value=Decimal("0"), max_digits=14, decimal_places=2,
             widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}))
TEXT = forms.Textarea(attrs={"rows": 3})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


def today():
    return timezone.localdate()


# ---- list filters -------------------------------------------------------------------------
def state_choices():
    seen = {}
    for kind in STATES.values():
        for value, label in kind.items():
            if value not in seen:
                seen[value] = label
            elif label not in seen[value]:
                seen[value] = f"{seen[value]}/{label}"
    return list(seen.items())


DUE_CHOICES = [("overdue", "已超期"), ("3", "3日内到期"), ("7", "7日内到期"), ("15", "15日内到期"),
               ("30", "30日内到期")]


class CaseFilterForm(forms.Form):
    """GET filters of the case list; an invalid value is ignored, never a 500."""

    q = forms.CharField(required=False, label="搜索")
    kind = forms.ChoiceField(required=False, label="类别", choices=[("", "全部")] + Kind.choices)
    state = forms.ChoiceField(required=False, label="状态")
    unit = forms.ChoiceField(required=False, label="承办机构")
    officer = forms.ChoiceField(required=False, label="承办人员")
    due = forms.CharField(required=False, label="期限")
    year = forms.ChoiceField(required=False, label="立案年度")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.orgs.models import Officer, Unit

        self.fields["state"].choices = [("", "全部")] + state_choices()
        self.fields["unit"].choices = [("", "全部")] + [
            (str(u.pk), u.name) for u in Unit.objects.restrict(user).only("pk", "name")[:500]]
        officers = Officer.objects.restrict(user).filter(
            pk__in=CaseOfficer.objects.filter(active=True).values("officer_id")).only("pk", "name")[:500]
        self.fields["officer"].choices = [("", "全部")] + [(str(o.pk), o.name) for o in officers]
        this_year = today().year
        self.fields["year"].choices = [("", "全部")] + [(str(y), f"{y}年") for y in range(this_year, this_year - 8, -1)]

    def due_days(self):
        value = (self.cleaned_data.get("due") or "").strip()
        if value == "overdue":
            return "overdue"
        if value.isdigit() and 0 <= int(value) <= 3660:
            return int(value)
        return None


# ---- parties ------------------------------------------------------------------------------
class PartyForm(forms.ModelForm):
    """当事人: a person (name + ID number) or an organisation (name + credit code + representative).
    The model's validators and clean() give the Chinese field messages."""

    kind = forms.ChoiceField(label="当事人类别", choices=Party.PartyKind.choices, initial=Party.PartyKind.PERSON,
                             widget=forms.RadioSelect)

    class Meta:
        model = Party
        fields = ["kind", "name", "id_number", "credit_code", "legal_representative", "address", "phone", "is_minor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs.update(autocomplete="off", inputmode="text")
        self.fields["phone"].widget.attrs.update(inputmode="tel")
        self.fields["credit_code"].help_text = "法人或其他组织填写"
        self.fields["id_number"].help_text = "自然人填写"

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()

    def party_data(self):
        d = {f: self.cleaned_data.get(f) for f in self.Meta.fields}
        if d["kind"] == Party.PartyKind.PERSON:
            d["credit_code"] = d["legal_representative"] = ""
        else:
            d["id_number"] = ""
            d["is_minor"] = False
        return {k: ("" if v is None else v) for k, v in d.items()}


class BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        parties = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if len(parties) < self.min_num:
            raise forms.ValidationError("请登记当事人（姓名/名称及证件号码）")

    def parties(self):
        return [f.party_data() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def party_formset(max_num, data=None, add=False):
    """Parties of a new case; `add` re-renders the posted rows plus one empty row."""
    fs_class = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=0, min_num=1, max_num=max_num,
                                     validate_min=False, can_delete=max_num > 1)
    if data is not None and add:
        data = data.copy()
        key = "parties-TOTAL_FORMS"
        try:
            total = int(data.get(key, 1))
        except ValueError:
            total = 1
        data[key] = str(min(total + 1, max_num, 50))
    return fs_class(data, prefix="parties")


# ---- choosers ----------------------------------------------------------------------------
def published_items(user):
    from zhifa.powers.models import PowerItem

    return PowerItem.objects.restrict(user).published().filter(entity_id=user.entity_id)


def search_items(user, q="", selected=(), limit=30):
    """The chooser rows: the selected items first, then up to `limit` matches."""
    qs = published_items(user).order_by("code")
    ids = [int(s) for s in selected if str(s).isdigit()]
    chosen = list(qs.filter(pk__in=ids))
    rest = qs.exclude(pk__in=ids)
    if q:
        rest = rest.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(law__icontains=q))
    rest = list(rest[:limit])
    return [(i, True) for i in chosen] + [(i, False) for i in rest]


def entity_officers(user):
    from zhifa.orgs.models import Certificate, Officer

    return (Officer.objects.restrict(user).filter(entity_id=user.entity_id, status=Officer.Status.ACTIVE)
            .select_related("unit")
            .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"),
                                       to_attr="cert_list")))


def valid_cert(officer, on, field=""):
    """The officer's certificate valid on `on` for `field` (from the prefetched list), or None."""
    from zhifa.orgs.models import Certificate

    certs = getattr(officer, "cert_list", None)
    if certs is None:
        certs = list(officer.certificates.order_by("-expires_on"))
    for c in certs:
        if c.status == Certificate.Status.VALID and c.issued_on <= on <= c.expires_on and (field or "") in c.fields:
            return c
    return None


def cert_summary(officer, on, field=""):
    c = valid_cert(officer, on, field)
    if c:
        return True, f"执法证{c.number}，有效至{c.expires_on:%Y-%m-%d}"
    certs = getattr(officer, "cert_list", [])
    if certs:
        c = certs[0]
        return False, f"执法证{c.number}{c.get_status_display()}，有效期至{c.expires_on:%Y-%m-%d}（{field or '本领域'}无有效证件）"
    return False, "无执法证"


# ---- new cases -----------------------------------------------------------------------------
KIND_SLUGS = {"general": Kind.PENALTY_GENERAL, "simple": Kind.PENALTY_SIMPLE, "inspection": Kind.INSPECTION,
              "coercive": Kind.COERCIVE}


class NewCaseForm(forms.Form):
    """Fields shared by every kind; subclasses add their own and build the action call."""

    kind = Kind.PENALTY_GENERAL
    heading = ""
    on_label = "登记日期"
    max_parties = 20
    min_officers = 2

    title = forms.CharField(label="案由/事项", max_length=300)
    unit = forms.ModelChoiceField(label="承办机构", queryset=None, required=False)
    field = forms.ChoiceField(label="执法领域", required=False)
    on = forms.DateField(label="登记日期", widget=DATE)
    power_items = forms.ModelMultipleChoiceField(label="权责清单事项", queryset=None, required=False)
    officers = forms.ModelMultipleChoiceField(label="承办人员", queryset=None, required=False)
    lead = forms.ModelChoiceField(label="主办人员", queryset=None, required=False)
    facts = forms.CharField(label="违法事实/基本情况", required=False, widget=TEXT)
    legal_basis = forms.CharField(label="法律依据", required=False, widget=SHORT_TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from zhifa.orgs.models import Unit

        self.user = user
        entity = user.entity
        self.fields["on"].label = self.on_label
        self.fields["on"].initial = today()
        self.fields["unit"].queryset = Unit.objects.restrict(user).filter(entity_id=user.entity_id)
        self.fields["unit"].initial = user.unit_id
        fields = entity.field_list if entity else []
        self.fields["field"].choices = [(f, f) for f in fields] or [("", "（未设置）")]
        self.fields["power_items"].queryset = published_items(user)
        officers = entity_officers(user)
        self.fields["officers"].queryset = officers
        self.fields["lead"].queryset = officers
        own = getattr(user, "officer", None) if user.pk else None
        if own is not None and own.entity_id == user.entity_id:
            self.fields["lead"].initial = own.pk
            self.fields["officers"].initial = [own.pk]
        if not self.takes_items:
            del self.fields["power_items"]

    # Rows the templates render by hand (certificate validity beside each officer).
    def officer_rows(self):
        on = self._value_date("on") or today()
        field = self._value("field") or (self.fields["field"].choices[0][0] if self.fields["field"].choices else "")
        chosen = {str(v) for v in self._values("officers")}
        rows = []
        for o in self.fields["officers"].queryset[:300]:
            ok, text = cert_summary(o, on, field)
            rows.append({"officer": o, "valid": ok, "text": text, "checked": str(o.pk) in chosen})
        return rows

    def item_rows(self):
        return search_items(self.user, "", self._values("power_items"))

    def _value(self, name):
        if self.is_bound:
            return self.data.get(self.add_prefix(name))
        return self.fields[name].initial

    def _values(self, name):
        if self.is_bound:
            return self.data.getlist(self.add_prefix(name)) if hasattr(self.data, "getlist") else []
        return self.fields[name].initial or []

    def _value_date(self, name):
        v = self._value(name)
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(str(v))
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        officers = list(data.get("officers") or [])
        if len(officers) < self.min_officers:
            self.add_error("officers", f"请至少选择{self.min_officers}名持有效执法证的执法人员（《行政处罚法》第四十二条）")
        else:
            on, field = data.get("on") or today(), data.get("field") or ""
            bad = [o.name for o in officers if valid_cert(o, on, field) is None]
            if bad:
                self.add_error("officers", f"{'、'.join(bad)}没有{on:%Y-%m-%d}有效的“{field}”执法证，不能承办本案")
        lead = data.get("lead")
        if officers and lead is None:
            data["lead"] = lead = officers[0]
        if lead is not None and officers and lead not in officers:
            self.add_error("lead", "主办人员须是所选承办人员之一")
        return data

    def base_data(self):
        d = self.cleaned_data
        data = {"entity": self.user.entity, "unit": d.get("unit"), "title": d["title"],
                "facts": d.get("facts") or "", "legal_basis": d.get("legal_basis") or ""}
        if d.get("field"):
            data["field"] = d["field"]
        return data

    def officer_pairs(self):
        lead = self.cleaned_data["lead"]
        return [(o, "lead" if o == lead else "assist") for o in self.cleaned_data["officers"]]

    def create(self, parties, acting_user):  # pragma: no cover - abstract
        raise NotImplementedError

    def action(self):
        from zhifa.cases import actions

        return getattr(actions, self.action_name)

    @property
    def takes_items(self) -> bool:
        """Whether the kind's create action records power items (only then is the chooser shown)."""
        return "power_items" in inspect.signature(self.action()).parameters

    def items_kwarg(self):
        return {"power_items": list(self.cleaned_data.get("power_items") or [])} if self.takes_items else {}


class GeneralCaseForm(NewCaseForm):
    kind = Kind.PENALTY_GENERAL
    heading = "案源登记（一般程序行政处罚）"
    transition = "register"
    action_name = "do_register_case"

    source = forms.ChoiceField(label="案件来源", choices=Source.choices)
    source_detail = forms.CharField(label="来源说明", max_length=500, required=False)
    violation_on = forms.DateField(label="违法行为发生（终了）日", required=False, widget=DATE)
    violation_continuing = forms.BooleanField(label="违法行为有连续或继续状态", required=False)
    harms_life_health_finance = forms.BooleanField(label="涉及生命健康安全、金融安全且有危害后果", required=False)
    discovered_on = forms.DateField(label="发现日期", required=False, widget=DATE)

    field_order = ["title", "source", "source_detail", "on", "discovered_on", "violation_on", "violation_continuing",
                   "harms_life_health_finance", "unit", "field", "power_items", "officers", "lead", "facts",
                   "legal_basis"]

    def create(self, parties, acting_user):
        from zhifa.cases.actions import do_register_case

        d = self.cleaned_data
        data = {**self.base_data(), "source": d["source"], "source_detail": d.get("source_detail") or "",
                "violation_on": d.get("violation_on"), "violation_continuing": d.get("violation_continuing"),
                "harms_life_health_finance": d.get("harms_life_health_finance"),
                "discovered_on": d.get("discovered_on") or d["on"]}
        return do_register_case(data, acting_user=acting_user, parties=parties, officers=self.officer_pairs(),
                                on=d["on"], **self.items_kwarg())


SIMPLE_KINDS = [(k.value, k.label) for k in (PenaltyKind.WARNING, PenaltyKind.FINE)]


class SimpleCaseForm(NewCaseForm):
    kind = Kind.PENALTY_SIMPLE
    heading = "当场处罚（简易程序）"
    on_label = "处罚日期"
    max_parties = 1
    transition = "on_the_spot_penalty"
    action_name = "do_on_the_spot_penalty"

    place = forms.CharField(label="处罚地点", max_length=200, required=False)
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", choices=SIMPLE_KINDS, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款金额（元）", **MONEY)
    collected_on_spot = forms.BooleanField(label="当场收缴罚款", required=False)
    party_refused_to_sign = forms.BooleanField(label="当事人拒绝签收", required=False)

    field_order = ["title", "on", "place", "penalty_kinds", "fine_amount", "collected_on_spot",
                   "party_refused_to_sign", "unit", "field", "power_items", "officers", "lead", "facts", "legal_basis"]

    def create(self, parties, acting_user):
        from zhifa.cases.actions import do_on_the_spot_penalty

        d = self.cleaned_data
        data = {**self.base_data(), "source": Source.INSPECTION, "penalty_kinds": list(d.get("penalty_kinds") or []),
                "fine_amount": d.get("fine_amount")}
        return do_on_the_spot_penalty(data, place=d.get("place") or "", party=parties[0],
                                      officers=self.officer_pairs(), acting_user=acting_user, on=d["on"],
                                      collected_on_spot=d.get("collected_on_spot"),
                                      party_refused_to_sign=d.get("party_refused_to_sign"),
                                      **self.items_kwarg())


class InspectionCaseForm(NewCaseForm):
    kind = Kind.INSPECTION
    heading = "行政检查"
    on_label = "计划日期"
    transition = "plan_inspection"
    action_name = "do_plan_inspection"

    source = forms.ChoiceField(label="检查来源", choices=Source.choices)
    source_detail = forms.CharField(label="来源说明", max_length=500, required=False)

    field_order = ["title", "source", "source_detail", "on", "unit", "field", "power_items", "officers", "lead",
                   "facts", "legal_basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facts"].label = "检查内容"
        self.fields["title"].label = "检查事项/对象"

    def create(self, parties, acting_user):
        from zhifa.cases.actions import do_plan_inspection

        d = self.cleaned_data
        data = {**self.base_data(), "source": d["source"], "source_detail": d.get("source_detail") or ""}
        return do_plan_inspection(data, acting_user=acting_user, parties=parties, officers=self.officer_pairs(),
                                  on=d["on"], **self.items_kwarg())


class CoerciveCaseForm(NewCaseForm):
    kind = Kind.COERCIVE
    heading = "查封、扣押（行政强制措施）"
    on_label = "决定日期"
    max_parties = 1
    transition = "seize"
    action_name = "do_seize"

    measure = forms.ChoiceField(label="措施", choices=[("seize", "扣押"), ("seal", "查封")])
    items = forms.CharField(label="查封扣押清单", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                            help_text="每行一项：名称，数量，规格/备注（以逗号分隔）")

    field_order = ["title", "on", "measure", "items", "unit", "field", "power_items", "officers",
                   "lead", "facts", "legal_basis"]

    def clean_items(self):
        rows = []
        for line in (self.cleaned_data.get("items") or "").splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if not parts or not parts[0]:
                continue
            rows.append({"name": parts[0], "quantity": parts[1] if len(parts) > 1 else "",
                         "note": "，".join(parts[2:]) if len(parts) > 2 else ""})
        return rows

    def create(self, parties, acting_user):
        from zhifa.cases.actions import do_seize

        d = self.cleaned_data
        return do_seize(self.base_data(), measure=d["measure"], items=d["items"], party=parties[0], officers=self.officer_pairs(), acting_user=acting_user, on=d["on"],
                        **self.items_kwarg())


NEW_FORMS = {"general": GeneralCaseForm, "simple": SimpleCaseForm, "inspection": InspectionCaseForm,
             "coercive": CoerciveCaseForm}


# ---- transitions ------------------------------------------------------------------------------
class TransitionForm(forms.Form):
    """The payload of one transition, posted with the case version the user saw.

    `payload()` returns the keyword arguments of the transition's `do_*` action beyond
    acting_user / expected_version / on / reason."""

    reason_label: str | None = "备注"
    reason_help = ""
    submit = "确认"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    on = forms.DateField(label="办理日期", widget=DATE)
    reason = forms.CharField(label="备注", required=False, widget=SHORT_TEXT, max_length=2000)

    def __init__(self, *args, case, user, offer_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user
        self.fields["version"].initial = case.version
        self.fields["on"].initial = today()
        if self.reason_label is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].label = self.reason_label
            self.fields["reason"].help_text = self.reason_help
        self.offer_label = offer_label
        self.setup()
        # Date and remarks last, the version hidden.
        order = [n for n in self.fields if n not in ("on", "reason", "version")] + ["on", "reason", "version"]
        self.order_fields([n for n in order if n in self.fields])

    def setup(self):
        pass

    def payload(self) -> dict:
        return {}


class ReasonRequired(TransitionForm):
    reason_label = "理由"


class ExtendFilingForm(TransitionForm):
    reason_label = "延长理由（特殊情况）"
    reason_help = "经负责人批准可延长十五个工作日，只能一次（《市场监督管理行政处罚程序规定》第十八条）"
    submit = "批准延长"


class NoteOnly(TransitionForm):
    pass


class FileCaseForm(TransitionForm):
    limitation_reason = forms.CharField(label="超过追责时效仍予立案的理由", required=False, widget=SHORT_TEXT)

    def setup(self):
        from zhifa.cases.rules import limitation_warning

        warning = limitation_warning(self.case)
        if warning:
            self.fields["limitation_reason"].help_text = warning
        else:
            del self.fields["limitation_reason"]

    def payload(self):
        return {"limitation_reason": self.cleaned_data.get("limitation_reason") or ""}


class PenaltyFields(TransitionForm):
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", choices=PenaltyKind.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款金额（元）", **MONEY)
    confiscation_amount = forms.DecimalField(label="没收金额（元）", **MONEY)
    no_penalty = forms.BooleanField(label="不予行政处罚", required=False)

    def setup(self):
        c = self.case
        self.fields["penalty_kinds"].initial = list(c.penalty_kinds or [])
        self.fields["fine_amount"].initial = c.fine_amount
        self.fields["confiscation_amount"].initial = c.confiscation_amount
        self.fields["no_penalty"].initial = c.no_penalty

    def payload(self):
        d = self.cleaned_data
        return {"penalty_kinds": list(d.get("penalty_kinds") or []), "fine_amount": d.get("fine_amount"),
                "confiscation_amount": d.get("confiscation_amount"), "no_penalty": bool(d.get("no_penalty"))}


class ProposeForm(PenaltyFields):
    facts = forms.CharField(label="违法事实", required=False, widget=TEXT)
    legal_basis = forms.CharField(label="法律依据", required=False, widget=SHORT_TEXT)
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    complex = forms.BooleanField(label="情节复杂/疑难复杂", required=False)
    major_violation = forms.BooleanField(label="重大违法行为", required=False)
    law_requires_review = forms.BooleanField(label="法律法规规定应当法制审核", required=False)
    discretion_level = forms.ChoiceField(label="裁量档位", required=False)
    illegal_gains = forms.DecimalField(label="违法所得（元）", **MONEY)
    discretion_reason = forms.CharField(label="偏离裁量基准的理由", required=False, widget=SHORT_TEXT)
    FLAGS = ("major_public_interest", "complex", "major_violation", "law_requires_review")

    def setup(self):
        super().setup()
        for f in ("facts", "legal_basis") + self.FLAGS:
            self.fields[f].initial = getattr(self.case, f)
        from zhifa.powers import discretion

        self.fields["discretion_level"].choices = [("", "（无裁量基准时不选）")] + [(lv, lv) for lv in discretion.LEVELS]
        for f in ("discretion_level", "discretion_reason", "illegal_gains"):
            self.fields[f].initial = getattr(self.case, f, None)
        self.fields["discretion_level"].help_text = self.benchmark_text()

    def benchmark_text(self):
        """The published benchmarks of the case's penalty items, level by level, as a hint."""
        from zhifa.powers import discretion

        parts = []
        for item in self.case.power_items.all():
            bm = discretion.benchmark_for(item, self.case.entity)
            if bm is None:
                continue
            levels = [f"{lv.get('level')}：{discretion.range_text(lv) or '、'.join(lv.get('sanctions', []))}"
                      for lv in bm.levels or []]
            parts.append(f"{item.code}裁量基准 — " + "；".join(levels))
        return "　".join(parts)

    def payload(self):
        d = self.cleaned_data
        return {**super().payload(), "facts": d.get("facts") or "", "legal_basis": d.get("legal_basis") or "",
                **{f: bool(d.get(f)) for f in self.FLAGS},
                "discretion_level": d.get("discretion_level") or "", "illegal_gains": d.get("illegal_gains"),
                "discretion_reason": d.get("discretion_reason") or ""}


# Apps above the core pre-fill the decision (the review app: what the legal reviewer agreed). Each
# provider gets the case and returns None or (penalty dict, Chinese note shown on the form).
DECISION_PREFILLS: list = []


class DecideForm(PenaltyFields):
    """Pre-filled from what the legal reviewer agreed (zhifa/review registers the provider), not
    from the case's last proposal; a different decision is refused by decision.matches_review."""

    submit = "作出决定"

    def setup(self):
        super().setup()
        for provider in DECISION_PREFILLS:
            found = provider(self.case)
            if found is None:
                continue
            agreed, note = found
            self.fields["penalty_kinds"].initial = list(agreed.get("penalty_kinds") or [])
            self.fields["fine_amount"].initial = agreed.get("fine_amount") or None
            self.fields["confiscation_amount"].initial = agreed.get("confiscation_amount") or None
            self.fields["no_penalty"].initial = bool(agreed.get("no_penalty"))
            self.fields["penalty_kinds"].help_text = note
            break


class ServeNoticeForm(TransitionForm):
    includes_hearing_rights = forms.BooleanField(label="告知当事人有要求听证的权利", required=False)

    def setup(self):
        from zhifa.cases.rules import hearing_triggers

        triggers = hearing_triggers(self.case)
        self.fields["includes_hearing_rights"].initial = bool(triggers)
        self.fields["includes_hearing_rights"].help_text = (
            "拟作出的处罚应当告知听证权利：" + "；".join(triggers) if triggers
            else "拟作出的处罚不属于《行政处罚法》第六十三条规定的听证情形")

    def payload(self):
        return {"includes_hearing_rights": bool(self.cleaned_data.get("includes_hearing_rights"))}


class StatementForm(TransitionForm):
    waived = forms.BooleanField(label="当事人明确放弃陈述、申辩", required=False)
    text = forms.CharField(label="陈述、申辩意见", required=False, widget=TEXT)

    def payload(self):
        return {"waived": bool(self.cleaned_data.get("waived")), "text": self.cleaned_data.get("text") or ""}


class ScheduleHearingForm(TransitionForm):
    hearing_on = forms.DateField(label="听证举行日期", widget=DATE)
    chair = forms.ModelChoiceField(label="听证主持人", queryset=None)

    def setup(self):
        from zhifa.cases.rules import handler_ids
        from zhifa.orgs.models import Officer

        self.fields["chair"].queryset = Officer.objects.restrict(self.user).filter(
            entity_id=self.case.entity_id, status=Officer.Status.ACTIVE
        ).exclude(pk__in=handler_ids(self.case, ever=True))
        self.fields["on"].label = "通知日期"

    def payload(self):
        return {"hearing_on": self.cleaned_data["hearing_on"], "chair": self.cleaned_data["chair"]}


class HoldHearingForm(TransitionForm):
    record = forms.CharField(label="听证笔录摘要", required=False, widget=TEXT)

    def payload(self):
        return {"record": self.cleaned_data.get("record") or ""}


class ReviewerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class SubmitReviewForm(TransitionForm):
    reviewer = ReviewerChoice(label="法制审核人员", queryset=None)

    def setup(self):
        from zhifa.cases.rules import handler_ids
        from zhifa.orgs.models import User

        self.fields["reviewer"].queryset = (User.objects.restrict(self.user)
                                            .filter(entity_id=self.case.entity_id, role=Role.LEGAL_REVIEWER,
                                                    is_active=True, officer__is_legal_reviewer=True)
                                            .exclude(officer__pk__in=handler_ids(self.case, ever=True)))
        from zhifa.cases.rules import review_required

        grounds = review_required(self.case)
        self.fields["reviewer"].help_text = ("本案须经法制审核：" + "、".join(grounds)) if grounds else ""

    def payload(self):
        return {"reviewer": self.cleaned_data["reviewer"]}


class ReviewForm(TransitionForm):
    reason_label = None
    outcome = "agree"
    opinion = forms.CharField(label="书面审核意见", required=False, widget=TEXT)

    def payload(self):
        return {"outcome": self.outcome, "opinion": self.cleaned_data.get("opinion") or ""}


class ReviewFailForm(ReviewForm):
    outcome = "problems"


class DiscussionForm(TransitionForm):
    participants = forms.CharField(label="参加人员", required=False, widget=SHORT_TEXT)
    conclusion = forms.CharField(label="讨论结论", required=False, widget=TEXT)

    def payload(self):
        return {"participants": self.cleaned_data.get("participants") or "",
                "conclusion": self.cleaned_data.get("conclusion") or ""}


class ExtendDecisionForm(TransitionForm):
    reason_label = "延长理由"
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365, initial=30)
    kind = forms.ChoiceField(label="批准方式", choices=[("head", "行政机关负责人批准"), ("collective", "集体讨论决定")])

    def payload(self):
        return {"days": self.cleaned_data["days"], "kind": self.cleaned_data["kind"]}


class ExtendSeizureForm(TransitionForm):
    reason_label = "延长理由（情况复杂）"
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=30, initial=30)

    def payload(self):
        return {"days": self.cleaned_data["days"]}


SERVICE_METHODS = ["直接送达", "留置送达", "邮寄送达", "电子送达", "委托送达", "公告送达"]


class ServeDecisionForm(TransitionForm):
    method = forms.ChoiceField(label="送达方式", choices=[(m, m) for m in SERVICE_METHODS])

    def setup(self):
        self.fields["on"].label = "送达日期"

    def payload(self):
        return {"method": self.cleaned_data["method"]}


class PaymentForm(TransitionForm):
    item = forms.ChoiceField(label="缴纳项目", required=False,
                             choices=[("fine", "罚款"), ("confiscation", "没收违法所得")])
    amount = forms.DecimalField(label="缴款金额（元）", **{**MONEY, "required": True})

    def setup(self):
        from zhifa.cases.rules_procedure import amount_owed, confiscation_owed, outstanding

        c = self.case
        left = outstanding(c, today())
        owed = amount_owed(c, today())
        notes = [f"罚款应缴{format_yuan(owed)}（含加处罚款），已缴{format_yuan(c.paid_amount)}，未缴{format_yuan(left['fine'])}"] if c.fine_amount else []
        if confiscation_owed(c):
            notes.append(f"没收违法所得应缴{format_yuan(confiscation_owed(c))}，已缴{format_yuan(c.confiscation_paid or 0)}，未缴{format_yuan(left['confiscation'])}")
        else:
            self.fields["item"].choices = [("fine", "罚款")]
        first = "fine" if left["fine"] or not left["confiscation"] else "confiscation"
        self.fields["item"].initial = first
        self.fields["amount"].initial = left[first]
        self.fields["amount"].help_text = "；".join(notes) + "。均缴入国库；超过未缴金额的不予登记"
        self.fields["on"].label = "缴款日期"

    def payload(self):
        return {"amount": self.cleaned_data["amount"], "item": self.cleaned_data.get("item") or "fine"}


class CloseForm(TransitionForm):
    execution_note = forms.CharField(label="执行情况", required=False, widget=SHORT_TEXT)

    def setup(self):
        if self.case.kind != Kind.PENALTY_GENERAL:
            del self.fields["execution_note"]

    def payload(self):
        if "execution_note" not in self.fields:
            return {}
        return {"execution_note": self.cleaned_data.get("execution_note") or ""}


class ArchiveForm(TransitionForm):
    retention_period = forms.ChoiceField(label="保管期限", required=False,
                                         choices=[(v, v) for v in ("永久", "30年", "10年")])
    archive_note = forms.CharField(label="备考表（案卷情况说明）", required=False, widget=SHORT_TEXT, max_length=2000)

    def setup(self):
        from zhifa.cases.rules_procedure import retention_default

        self.fields["retention_period"].initial = retention_default(self.case.kind)

    def payload(self):
        d = self.cleaned_data
        return {"retention_period": d.get("retention_period") or "", "archive_note": d.get("archive_note") or ""}


class DatalistInput(forms.TextInput):
    """A text input with suggestions (<datalist>): free text stays possible."""

    def __init__(self, options=(), attrs=None):
        super().__init__(attrs)
        self.options = list(options)

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html, format_html_join

        list_id = f"{(attrs or {}).get('id') or name}-list"
        html = super().render(name, value, {**(attrs or {}), "list": list_id, "autocomplete": "off"}, renderer)
        return html + format_html('<datalist id="{}">{}</datalist>', list_id,
                                  format_html_join("", '<option value="{}">', ((o,) for o in self.options)))


class TransferForm(TransitionForm):
    reason_label = "移送理由"
    transfer_kind = forms.ChoiceField(label="移送类别", choices=Case._meta.get_field("transfer_kind").choices)
    transfer_to = forms.CharField(
        label="接收机关", max_length=120, required=False,
        help_text="本系统内的执法主体请从列表中选择全称（移送后由其在系统内接收）；系统外机关（如公安机关）填写全称，线下送达")

    def setup(self):
        from zhifa.orgs.models import Entity

        # receivers are matched by full name (zhifa.transfers.actions.record_sent): offer the names
        names = (Entity.objects.filter(is_active=True, is_justice_bureau=False).exclude(pk=self.case.entity_id)
                 .order_by("region__code", "name").values_list("name", flat=True))
        self.fields["transfer_to"].widget = DatalistInput(names)

    def payload(self):
        d = self.cleaned_data
        return {"transfer_kind": d["transfer_kind"], "transfer_to": d.get("transfer_to") or ""}


class AssignOfficersForm(TransitionForm):
    add = forms.ModelMultipleChoiceField(label="增加承办人员", queryset=None, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    role = forms.ChoiceField(label="承办角色", choices=CaseOfficer.OfficerRole.choices, initial="assist")
    remove = forms.ModelMultipleChoiceField(label="退出承办", queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def setup(self):
        from zhifa.cases.rules import handler_ids
        from zhifa.orgs.models import Officer

        current = handler_ids(self.case)
        base = Officer.objects.restrict(self.user).filter(entity_id=self.case.entity_id)
        self.fields["add"].queryset = base.filter(status=Officer.Status.ACTIVE).exclude(pk__in=current)
        self.fields["remove"].queryset = base.filter(pk__in=current)

    def payload(self):
        d = self.cleaned_data
        return {"officers": [(o, d["role"]) for o in d.get("add") or []], "remove": list(d.get("remove") or [])}


class RecusalForm(TransitionForm):
    reason_label = "回避理由"
    officer = forms.ModelChoiceField(label="回避人员", queryset=None)
    decision = forms.ChoiceField(label="决定", choices=[("approved", "准予回避"), ("refused", "不予回避")])
    applied_by_party = forms.BooleanField(label="当事人申请回避", required=False)

    def setup(self):
        from zhifa.cases.rules import handler_ids
        from zhifa.orgs.models import Officer

        ids = handler_ids(self.case, ever=True)
        if self.case.hearing_chair_id:
            ids.add(self.case.hearing_chair_id)
        self.fields["officer"].queryset = Officer.objects.restrict(self.user).filter(pk__in=ids)

    def payload(self):
        d = self.cleaned_data
        return {"officer": d["officer"], "decision": d["decision"], "applied_by_party": bool(d.get("applied_by_party"))}


class InspectionResultForm(TransitionForm):
    result = forms.CharField(label="检查结果", required=False, widget=TEXT)
    problems_found = forms.BooleanField(label="发现违法问题", required=False)

    def payload(self):
        d = self.cleaned_data
        return {"result": d.get("result") or "", "problems_found": bool(d.get("problems_found"))}


class NewPenaltyCaseForm(TransitionForm):
    title = forms.CharField(label="处罚案件案由", max_length=300, required=False)

    def payload(self):
        return {"title": self.cleaned_data.get("title") or ""}


TRANSITION_FORMS: dict[str, type[TransitionForm]] = {
    "assign_officers": AssignOfficersForm,
    "record_recusal": RecusalForm,
    "file_case": FileCaseForm,
    "approve_filing": NoteOnly,
    "not_file": ReasonRequired,
    "extend_filing": ExtendFilingForm,
    "propose": ProposeForm,
    "serve_notice": ServeNoticeForm,
    "record_statement": StatementForm,
    "schedule_hearing": ScheduleHearingForm,
    "hold_hearing": HoldHearingForm,
    "submit_legal_review": SubmitReviewForm,
    "review_pass": ReviewForm,
    "review_fail": ReviewFailForm,
    "hold_collective_discussion": DiscussionForm,
    "extend_decision_period": ExtendDecisionForm,
    "suspend": ReasonRequired,
    "decide": DecideForm,
    "serve_decision": ServeDecisionForm,
    "record_payment": PaymentForm,
    "close": CloseForm,
    "archive": ArchiveForm,
    "revoke": ReasonRequired,
    "transfer": TransferForm,
    "record_inspection_result": InspectionResultForm,
    "open_penalty_case": NewPenaltyCaseForm,
    "extend_seizure": ExtendSeizureForm,
    "refuse_seizure": ReasonRequired,
    "convert_seizure": NewPenaltyCaseForm,
}


def transition_form(name: str) -> type[TransitionForm]:
    return TRANSITION_FORMS.get(name, NoteOnly)
