"""The powers API, mounted by zhifa/api.py: `items` (the versioned lists: 权责清单, 随机抽查事项,
服务指南, 流程图, and the version routes they share) and `discretion` (行政处罚裁量基准 and its check)."""
