"""The supervision pages, one module per sub-domain (URLs in zhifa/supervision/urls.py):

    figures     the home: figures per region and entity, the cases behind each figure
    orders      alerts (预警) and supervision orders (督办 / 整改通知 …)
    documents   the orders' documents and their templates
    casefile    案卷评查: rounds, reviews, rubrics
    appraisal   评议考核
    social      社会监督员 and their leads (and the personal feedback page under /gs/)
    stats       统计报表 and its downloads
    access      who may open them
"""
