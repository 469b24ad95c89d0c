"""The supervision actions (the only writers of its rows), one module per sub-domain:

    orders      alerts handled (acknowledge, assign, close), 督办/整改通知 issued and answered
    documents   the orders' documents (generated at issue, PDF afterwards) and their templates
    casefile    案卷评查: rubrics, rounds, sampling, reviewers, scores
    appraisal   评议考核: weights, entered results, finalising a year (and the yearly score)
    social      社会监督员: appointment, feedback links, leads and their conversion
    reports     年度行政执法统计年报: generation, publication, the region report

Each runs in one transaction, takes keyword-only acting_user and refuses with ActionRefused(rule, …).
"""
