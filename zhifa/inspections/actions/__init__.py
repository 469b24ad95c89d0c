"""Actions of 双随机、一公开: the only writers of its rows. Each runs in one transaction, takes a
keyword-only acting_user, checks scope and its named rules, writes a ChangeLog row and a ledger entry.

Named rules (refusals name them; tests/inspections checks each):
  roster.credit_code          a roster object's credit code / ID passes its check digit
  roster.risk                 the credit risk level is A–D or 高/中高/中/低
  roster.empty                a snapshot of an empty roster is refused
  plan.state                  only a draft plan is edited or filed; only a filed one acknowledged
  plan.level_above            the 备案 is acknowledged by a supervisor of a higher level
  batch.item                  each batch checks published 随机抽查事项 of the planning entity
  batch.ratio                 a ratio is above 0 and at most 100 %; a count is positive
  batch.strata                at least one stratum, each a risk level once
  batch.dates                 the batch ends on or after it starts
  draw.plan_acknowledged      a draw needs a plan acknowledged by the level above
  draw.future_value           the committed random value does not exist yet at commit time
  draw.inspector_certified    every inspector of the snapshot holds a valid certificate on the draw date
  draw.snapshot               the snapshots belong to the batch's entity and are of the right kind
  draw.reveal_before_commit   no value is revealed for a draw that is not committed (or already drawn)
  draw.value_not_yet          the committed value is revealed only once it exists
  draw.beacon_invalid         the drand signature verifies for the committed round
  draw.lottery_second_user    the second lottery entry is typed by another user
  draw.lottery_mismatch       both lottery entries agree
  draw.inspectors_short       each object gets enough certified, non-recused inspectors
  task.result                 a result is one of the categories, with the facts
  results.none                results are published once recorded (nothing to publish is refused)
  recusal.declarant           an inspector declares a recusal for themselves; a head for any of the team
  recusal.not_on_team         the recused officer is one of the task's inspectors
  recusal.reason              a recusal states the conflict
  recusal.pending             one pending recusal per inspector and task
  recusal.state               a recusal is decided once
  recusal.task_open           no recusal once the result is recorded
  recusal.head_decides        a head of the entity decides a recusal (Art. 43)
  recusal.no_replacement      the re-draw finds a certified, non-recused inspector outside the team
"""
from zhifa.inspections.actions.draws import (  # noqa: F401
    do_commit_draw,
    do_enter_lottery,
    do_publish_draw,
    do_reveal_beacon,
)
from zhifa.inspections.actions.plans import (  # noqa: F401
    do_acknowledge_plan,
    do_add_batch,
    do_create_plan,
    do_file_plan,
    do_update_plan,
)
from zhifa.inspections.actions.recusals import do_decide_recusal, do_declare_recusal  # noqa: F401
from zhifa.inspections.actions.roster import (  # noqa: F401
    do_import_roster,
    do_save_object,
    do_snapshot_inspectors,
    do_snapshot_objects,
)
from zhifa.inspections.actions.tasks import do_create_tasks, do_publish_results, do_record_task_result  # noqa: F401
