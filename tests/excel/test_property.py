"""Property: any file of valid, distinct rows imports completely (and nothing else changes)."""
import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.excel.util import officers_file
from zhifa.common.identifiers import make_id_number
from zhifa.orgs.excel import import_officers
from zhifa.orgs.models import Certificate, Officer

pytestmark = pytest.mark.django_db

names = st.text(alphabet="张王李赵钱孙周吴郑冯陈褚卫蒋沈韩杨明芳强红伟", min_size=1, max_size=4)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 1, 1))
rows = st.lists(st.fixed_dictionaries({
    "name": names,
    "born": st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2004, 12, 31)),
    "gender": st.sampled_from(["", "男", "女"]),
    "phone": st.one_of(st.just(""), st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
                       st.from_regex(r"0857-[2-9]\d{6}", fullmatch=True)),
    "status": st.sampled_from(["", "在岗", "暂停执法", "调离/退休"]),
    "unit": st.sampled_from(["", "执法稽查大队", "法规科"]),
    "reviewer": st.booleans(),
    "cert": st.booleans(),
    "issued": dates,
    "days": st.integers(min_value=1, max_value=3650),
    "date_as_text": st.booleans(),
    "cert_status": st.sampled_from(["", "有效", "暂扣", "注销/吊销"]),
}), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows)
def test_random_valid_rows_always_import_fully(world, rows):
    data = []
    for i, r in enumerate(rows):
        expires = r["issued"] + dt.timedelta(days=r["days"])
        fmt = (lambda d: d.isoformat()) if r["date_as_text"] else (lambda d: d)
        data.append({
            "内设机构": r["unit"], "姓名": r["name"], "身份证号": make_id_number("520502", r["born"], i),
            "性别": r["gender"], "手机号": r["phone"], "职务": "", "状态": r["status"],
            "法律职业资格": "是" if r["reviewer"] else "否",
            "法律职业资格证书编号": f"A{i:08d}" if r["reviewer"] else "",
            "是法制审核人员": "是" if r["reviewer"] else "否",
            **({"执法证号": f"P{i:06d}", "执法领域": "市场监管", "发证机关": "贵州省人民政府",
                "发证日期": fmt(r["issued"]), "有效期至": fmt(expires), "证件状态": r["cert_status"]}
               if r["cert"] else {}),
        })
    with transaction.atomic():
        before = Officer.objects.count(), Certificate.objects.count()
        report = import_officers(officers_file(data), acting_user=world["head"])
        assert report.ok, report.errors
        assert report.created == len(data)
        assert Officer.objects.count() - before[0] == len(data)
        assert Certificate.objects.count() - before[1] == sum(r["cert"] for r in rows)
        transaction.set_rollback(True)
