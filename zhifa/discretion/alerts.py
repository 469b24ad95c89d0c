"""预警 from the similar cases (common.registry.alert_checks): a decided fine far from the median of its
power item's decided fines in the same province (类案不同罚), for the supervisors of the region."""
from __future__ import annotations

from zhifa.common.registry import Finding, alert_checks


@alert_checks.register("similar_outlier", order=55)
def check_outliers(today):
    from zhifa.discretion.similar import outliers

    for group in outliers():
        for r in group["outliers"]:
            side = "高于" if r["fine_amount"] > group["median"] else "低于"
            yield Finding(f"similar_outlier:{r['case_id']}", "similar_outlier", r["entity_id"],
                          f"事项{group['item']}：罚款{r['fine_amount']:,.2f}元明显{side}同事项{group['count']}件已决案件的"
                          f"中位数{group['median']:,.2f}元（类案不同罚）", case_id=r["case_id"])
        for r in group["proposed"]:
            side = "高于" if r["fine_amount"] > group["median"] else "低于"
            yield Finding(f"similar_outlier:proposed:{r['case_id']}", "similar_outlier", r["entity_id"],
                          f"事项{group['item']}：拟罚款{r['fine_amount']:,.2f}元明显{side}同事项{group['count']}件已决案件的"
                          f"中位数{group['median']:,.2f}元，尚未作出决定（类案不同罚）", case_id=r["case_id"])
