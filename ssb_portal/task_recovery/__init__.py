"""Work that outlives a crash: a task whose worker died (or hung) is run again, or given up.

A task proves it is alive by its heartbeat (`heartbeat`, called where it reports progress);
one that reports none is judged by when it started. A running task silent for longer than
TASK_STALL_SECONDS is found by the worker's watch (`manage.py task_worker`) or by
`manage.py recover_stalled_tasks`: it is put back in the queue to run again from the start,
or, once it has been tried TASK_MAX_ATTEMPTS times, failed. A task that must be put right when
that happens (the purchase import shows its state to the person waiting) says how with
`on_stall`. Only tasks safe to run twice (idempotent) belong on this queue.
"""
