"""A case's documents over REST: list, generate one (PDF by the worker), complete the case file
before 归档 (archive.documents_complete) and read the 卷内目录 — what the 文书 tab does, so a client
can take a case to the archive over the API alone."""
from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from zhifa.cases.models import Case
from zhifa.common.api.base import F, InSchema, actor, get_visible, responses
from zhifa.documents import actions, archive
from zhifa.documents.models import GeneratedDocument

router = Router(tags=["执法文书"])


class CaseDocumentOut(Schema):
    id: int = F(..., "编号")
    doc_type: str = F(..., "文书类型")
    label: str = F(..., "文书名称")
    number: str = F(..., "文号")
    version: int = F(..., "版本")
    pdf_status: str = F(..., "PDF状态")
    generated_at: dt.datetime = F(..., "生成时间")

    @staticmethod
    def resolve_label(obj):
        return archive.label(obj.doc_type)


class DocumentGenerateIn(InSchema):
    doc_type: str = F(..., "文书类型", max_length=30)
    extra: dict = F({}, "补充填写内容（如证据、检查地点）")
    request_key: str = F("", "请求标识（重复提交返回同一版本）", max_length=40)


class CaseFileIndexRow(Schema):
    no: int = F(..., "序号")
    title: str = F(..., "题名")
    number: str = F(..., "文号")
    date: str = F(..., "日期")
    version: int | None = F(None, "版本")


class CaseFileIndexOut(Schema):
    missing: list[str] = F(..., "归档尚缺的文书")
    catalogue: list[CaseFileIndexRow] = F(..., "卷内目录")


def _case(request, case_id) -> Case:
    return get_visible(Case, request, case_id)


@router.get("/case/{case_id}", response=responses(list[CaseDocumentOut]),
            operation_id="zhifa_apiv1_documents_list", summary="案件的文书（各版本）")
def list_documents(request, case_id: int):
    case = _case(request, case_id)
    return list(GeneratedDocument.objects.restrict(actor(request), "view").filter(case=case)
                .order_by("doc_type", "version"))


@router.post("/case/{case_id}", response=responses(CaseDocumentOut, 201),
             operation_id="zhifa_apiv1_documents_generate", summary="生成文书（PDF由后台生成）")
def generate(request, case_id: int, body: DocumentGenerateIn):
    doc = actions.do_generate_document(_case(request, case_id), body.doc_type, acting_user=actor(request),
                                       extra=body.extra, pdf="background", request_key=body.request_key)
    return 201, doc


@router.get("/case/{case_id}/case-file", response=responses(CaseFileIndexOut),
            operation_id="zhifa_apiv1_documents_case_file", summary="卷内目录与归档尚缺的文书")
def case_file(request, case_id: int):
    case = _case(request, case_id)
    return {"missing": [archive.label(t) for t in archive.missing_types(case)],
            "catalogue": [{k: r[k] for k in ("no", "title", "number", "date", "version")}
                          for r in archive.catalogue(case)]}


@router.post("/case/{case_id}/case-file/complete", response=responses(list[CaseDocumentOut]),
             operation_id="zhifa_apiv1_documents_complete", summary="补齐归档文书")
def complete(request, case_id: int):
    return archive.generate_missing(_case(request, case_id), acting_user=actor(request))
