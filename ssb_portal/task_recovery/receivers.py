"""A worker stopped in the middle of a task hands the task back (see services)."""

from django.dispatch import receiver
from django_tasks.signals import task_finished

from ssb_portal.task_recovery.services import hand_back_interrupted


@receiver(task_finished)
def _hand_back_interrupted(sender, task_result, **kwargs) -> None:
    hand_back_interrupted(task_result)
