"""Officers (执法人员), their certificates (执法证) and training records."""
import datetime as dt
from decimal import Decimal
from typing import Literal, Optional

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zhifa.common.actions import ActionRefused
from zhifa.common.api.base import (
    ENTITY_FIELD,
    Q_FIELD,
    F,
    Flag,
    IdNumber,
    InSchema,
    ListFilter,
    Pagination,
    Phone,
    RecordId,
    actor,
    choices,
    choices_text,
    get_visible,
    patch_schema,
    payload_data,
    require_change,
    responses,
    visible,
)
from zhifa.orgs import actions
from zhifa.orgs.models import Certificate, Entity, Officer, Training, Unit

# ---- certificates -------------------------------------------------------------------------------
certificates = Router(tags=["执法证"])
CERT_STATUS = choices_text(Certificate.Status)
CHECK_TEXT = "空 未审验；passed 合格；failed 不合格"


class CertificateOut(Schema):
    id: int = F(..., "编号")
    officer_id: int = F(..., "执法人员编号")
    officer_name: str = F(..., "执法人员")
    number: str = F(..., "执法证号")
    fields: str = F(..., "执法领域")
    issuing_authority: str = F(..., "发证机关")
    issued_on: dt.date = F(..., "发证日期")
    expires_on: dt.date = F(..., "有效期至")
    status: str = F(..., "证件状态", CERT_STATUS)
    status_display: str = F(..., "证件状态名称")
    is_valid: bool = F(..., "当前有效", "状态有效且在有效期内")
    annual_check_year: Optional[int] = F(None, "年审年度")
    annual_check_result: str = F(..., "年审结果", CHECK_TEXT)

    @staticmethod
    def resolve_officer_name(obj):
        return obj.officer.name

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_is_valid(obj):
        return obj.is_valid_on()


class CertificateUpdate(InSchema):
    """执法证"""

    fields: str = F(..., "执法领域", min_length=1, max_length=200)
    issuing_authority: str = F(..., "发证机关", min_length=1, max_length=100)
    issued_on: dt.date = F(..., "发证日期", "YYYY-MM-DD")
    expires_on: dt.date = F(..., "有效期至", "YYYY-MM-DD，须晚于发证日期")
    status: choices(Certificate.Status) = F(Certificate.Status.VALID.value, "证件状态", CERT_STATUS)
    annual_check_year: Optional[int] = F(None, "年审年度", ge=1990, le=2100)
    annual_check_result: choices(Certificate.Check) = F("", "年审结果", CHECK_TEXT)


class CertificateIn(CertificateUpdate):
    officer: int = F(..., "执法人员", "执法人员编号")
    number: str = F(..., "执法证号", min_length=1, max_length=40)


CertificatePatch = patch_schema(CertificateUpdate, "CertificatePatch")


class CertificateFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    entity: Optional[int] = ENTITY_FIELD
    officer: Optional[int] = F(None, "执法人员", "按执法人员编号筛选")
    status: Optional[choices(Certificate.Status)] = F(None, "证件状态", CERT_STATUS)
    valid: Flag = F(None, "当前有效", "valid/1 只看当前有效的证件；invalid/0 只看无效的")

    search_fields = ("number", "officer__name")
    lookups = {
        "entity": "officer__entity_id", "officer": "officer_id", "status": "status",
        "valid": lambda qs, v: qs.filter(_valid_q()) if v else qs.exclude(_valid_q()),
    }


def _valid_q():
    today = timezone.localdate()
    return Q(status=Certificate.Status.VALID, issued_on__lte=today, expires_on__gte=today)


@certificates.get("", response=responses(list[CertificateOut]), operation_id="certificates_list",
                  summary="执法证列表")
@paginate(Pagination)
def list_certificates(request, filters: Query[CertificateFilter]):
    return filters.apply(visible(Certificate, request).select_related("officer"))


@certificates.get("/{cert_id}", response=responses(CertificateOut), operation_id="certificates_get",
                  summary="执法证详情")
def get_certificate(request, cert_id: RecordId):
    return get_visible(Certificate, request, cert_id)


@certificates.post("", response=responses(CertificateOut, 201), operation_id="certificates_create",
                   summary="发放执法证")
def issue_certificate(request, payload: CertificateIn):
    data = payload_data(request, payload, Certificate, {"officer": Officer})
    return Status(201, actions.do_issue_certificate(data, acting_user=actor(request)))


@certificates.patch("/{cert_id}", response=responses(CertificateOut), operation_id="certificates_update",
                    summary="修改执法证（年审、暂扣、注销等）")
def update_certificate(request, cert_id: RecordId, payload: CertificatePatch):
    cert = get_visible(Certificate, request, cert_id)
    require_change(request, cert)
    data = payload_data(request, payload, Certificate, {}, partial=True)
    return actions.do_update_certificate(cert, data, acting_user=actor(request))


# ---- trainings ------------------------------------------------------------------------------------
trainings = Router(tags=["培训记录"])


class TrainingOut(Schema):
    id: int = F(..., "编号")
    officer_id: int = F(..., "执法人员编号")
    officer_name: str = F(..., "执法人员")
    year: int = F(..., "年度")
    course: str = F(..., "培训内容")
    hours: Decimal = F(..., "学时")
    finished_on: Optional[dt.date] = F(None, "完成日期")

    @staticmethod
    def resolve_officer_name(obj):
        return obj.officer.name


class TrainingIn(InSchema):
    """培训记录"""

    officer: int = F(..., "执法人员", "执法人员编号")
    year: int = F(..., "年度", ge=1990, le=2100)
    course: str = F(..., "培训内容", min_length=1, max_length=200)
    hours: Decimal = F(..., "学时", "大于0，最多一位小数", gt=0, max_digits=5, decimal_places=1)
    finished_on: Optional[dt.date] = F(None, "完成日期", "YYYY-MM-DD，须在培训年度内")


class TrainingFilter(ListFilter):
    q: Optional[str] = Q_FIELD
    entity: Optional[int] = ENTITY_FIELD
    officer: Optional[int] = F(None, "执法人员", "按执法人员编号筛选")
    year: Optional[int] = F(None, "年度")

    search_fields = ("officer__name", "course")
    lookups = {"entity": "officer__entity_id", "officer": "officer_id", "year": "year"}


@trainings.get("", response=responses(list[TrainingOut]), operation_id="trainings_list", summary="培训记录列表")
@paginate(Pagination)
def list_trainings(request, filters: Query[TrainingFilter]):
    return filters.apply(visible(Training, request).select_related("officer"))


@trainings.get("/{training_id}", response=responses(TrainingOut), operation_id="trainings_get",
               summary="培训记录详情")
def get_training(request, training_id: RecordId):
    return get_visible(Training, request, training_id)


@trainings.post("", response=responses(TrainingOut, 201), operation_id="trainings_create", summary="登记培训记录")
def record_training(request, payload: TrainingIn):
    data = payload_data(request, payload, Training, {"officer": Officer})
    return Status(201, actions.do_record_training(data, acting_user=actor(request)))


# ---- officers -------------------------------------------------------------------------------------
officers = Router(tags=["执法人员"])
OFFICER_STATUS = choices_text(Officer.Status)


class OfficerOut(Schema):
    id: int = F(..., "编号")
    entity_id: int = F(..., "执法主体编号")
    entity_name: str = F(..., "执法主体")
    unit_id: Optional[int] = F(None, "内设机构编号")
    unit_name: Optional[str] = F(None, "内设机构")
    user_id: Optional[int] = F(None, "登录账号编号")
    name: str = F(..., "姓名")
    id_number: str = F(..., "身份证号")
    gender: str = F(..., "性别", "M 男；F 女；空 未填")
    phone: str = F(..., "手机号")
    title: str = F(..., "职务")
    status: str = F(..., "状态", OFFICER_STATUS)
    status_display: str = F(..., "状态名称")
    has_valid_cert: bool = F(..., "持有效执法证")
    legal_qualification: bool = F(..., "具有法律职业资格")
    legal_qualification_no: str = F(..., "法律职业资格证书编号")
    is_legal_reviewer: bool = F(..., "法制审核人员")

    @staticmethod
    def resolve_entity_name(obj):
        return obj.entity.name

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_status_display(obj):
        return obj.get_status_display()


class OfficerDetailOut(OfficerOut):
    certificates: list[CertificateOut] = F(..., "执法证")
    training_year: int = F(..., "培训统计年度", "当前年度")
    training_hours: Decimal = F(..., "本年度培训学时")
    training_min_hours: int = F(..., "年度最低学时")
    training_ok: bool = F(..., "本年度培训学时达标")

    @staticmethod
    def resolve_certificates(obj, context):
        return visible(Certificate, context["request"]).filter(officer=obj).select_related("officer")

    @staticmethod
    def resolve_training_year(obj):
        return timezone.localdate().year

    @staticmethod
    def resolve_training_hours(obj, context):
        qs = visible(Training, context["request"]).filter(officer=obj, year=timezone.localdate().year)
        return qs.aggregate(h=Sum("hours"))["h"] or Decimal(0)

    @staticmethod
    def resolve_training_min_hours(obj):
        return settings.ZHIFA_TRAINING_MIN_HOURS

    @staticmethod
    def resolve_training_ok(obj, context):
        return OfficerDetailOut.resolve_training_hours(obj, context) >= settings.ZHIFA_TRAINING_MIN_HOURS


class OfficerIn(InSchema):
    """执法人员"""

    entity: int = F(..., "执法主体", "执法主体编号")
    unit: Optional[int] = F(None, "内设机构", "内设机构编号，须属于该执法主体")
    user: Optional[int] = F(None, "登录账号", "关联的登录账号编号")
    name: str = F(..., "姓名", min_length=1, max_length=50)
    id_number: IdNumber = F(..., "身份证号", "18位居民身份证号，含校验位")
    gender: Literal["M", "F", ""] = F("", "性别", "M 男；F 女；空 未填")
    phone: Phone = F("", "手机号", max_length=30)
    title: str = F("", "职务", max_length=50)
    status: choices(Officer.Status) = F(Officer.Status.ACTIVE.value, "状态", OFFICER_STATUS)
    legal_qualification: bool = F(False, "具有法律职业资格")
    legal_qualification_no: str = F("", "法律职业资格证书编号", max_length=40)
    is_legal_reviewer: bool = F(False, "法制审核人员", "须具有法律职业资格")


OfficerPatch = patch_schema(OfficerIn, "OfficerPatch")
OFFICER_REFS = {"entity": Entity, "unit": Unit, "user": get_user_model()}


class OfficerFilter(ListFilter):
    q: Optional[str] = F(None, "关键词", "按姓名、身份证号、手机号、执法证号模糊搜索", max_length=100)
    entity: Optional[int] = ENTITY_FIELD
    unit: Optional[int] = F(None, "内设机构", "按内设机构编号筛选")
    status: Optional[choices(Officer.Status)] = F(None, "状态", OFFICER_STATUS)
    cert: Flag = F(None, "持有效执法证", "valid/1 只看持有效执法证的；invalid/0 只看无有效执法证的")
    reviewer: Optional[bool] = F(None, "法制审核人员", "1 只看法制审核人员")

    search_fields = ("name", "id_number", "phone", "certificates__number")
    lookups = {"entity": "entity_id", "unit": "unit_id", "status": "status", "cert": "has_valid_cert",
               "reviewer": "is_legal_reviewer"}


def _officers(request):
    return visible(Officer, request).with_cert_status().select_related("entity", "unit")


def _check_unit(data: dict, officer=None):
    """The unit must belong to the officer's entity (named field, before the model says so)."""
    entity = data.get("entity") or (officer.entity if officer else None)
    unit = data.get("unit", officer.unit if officer else None)
    if unit is not None and entity is not None and unit.entity_id != entity.pk:
        raise ActionRefused("validation", "内设机构：内设机构不属于该执法主体", field="unit")


@officers.get("", response=responses(list[OfficerOut]), operation_id="officers_list", summary="执法人员列表")
@paginate(Pagination)
def list_officers(request, filters: Query[OfficerFilter]):
    return filters.apply(_officers(request))


@officers.get("/{officer_id}", response=responses(OfficerDetailOut), operation_id="officers_get",
              summary="执法人员详情（含执法证、本年度培训学时）")
def get_officer(request, officer_id: RecordId):
    return get_visible(_officers(request), request, officer_id)


@officers.post("", response=responses(OfficerDetailOut, 201), operation_id="officers_create",
               summary="新增执法人员")
def create_officer(request, payload: OfficerIn):
    data = payload_data(request, payload, Officer, OFFICER_REFS)
    _check_unit(data)
    officer = actions.do_create_officer(data, acting_user=actor(request))
    return Status(201, get_officer(request, officer.pk))


@officers.patch("/{officer_id}", response=responses(OfficerDetailOut), operation_id="officers_update",
                summary="修改执法人员")
def update_officer(request, officer_id: RecordId, payload: OfficerPatch):
    officer = get_visible(Officer, request, officer_id)
    require_change(request, officer)
    data = payload_data(request, payload, Officer, OFFICER_REFS, partial=True)
    _check_unit(data, officer)
    actions.do_update_officer(officer, data, acting_user=actor(request))
    return get_officer(request, officer_id)


@officers.delete("/{officer_id}", response=responses(None, 204), operation_id="officers_delete",
                 summary="删除执法人员（仅限无执法证记录的）")
def delete_officer(request, officer_id: RecordId):
    officer = get_visible(Officer, request, officer_id)
    require_change(request, officer)
    actions.do_delete_officer(officer, acting_user=actor(request))
    return Status(204, None)
