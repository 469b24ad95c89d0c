"""Case-handling pages (执法办案): list, work queue, new-case forms, the case page and its actions."""
from zhifa.cases.views.case import case_action, case_detail  # noqa: F401
from zhifa.cases.views.lists import case_list, work_queue_view  # noqa: F401
from zhifa.cases.views.new import new_case, new_case_choose, power_item_search  # noqa: F401
