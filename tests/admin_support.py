"""What every workbench (admin) test shares: posting an action from a changelist, the messages
the official reads, and the rows a changelist lists.

Officials decide through actions: the action's POST shows its form (a reason, an amount, a
reviewer, a payment reference), the form's POST calls the service once per selected row and
reports each row's outcome as a message.
"""

import html

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME


def act(client, url, action, objects, *, follow: bool | None = None, **form):
    """POST an action from a changelist; with form data (a reason even when empty), POST its
    form (`post`) too. The answer is followed to the page the action leads to when the form
    is sent, or as `follow` says."""
    data = {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects]}
    if form:
        data.update({"post": "yes", **form})
    return client.post(url, data, follow=bool(form) if follow is None else follow)


def messages_of(response) -> list[tuple[int, str]]:
    """Level and text (as read on the page) of the messages shown."""
    return [
        (message.level, html.unescape(str(message.message)))
        for message in response.context["messages"]
    ]


def listed(response) -> set[int]:
    """The primary keys of the rows the changelist shows."""
    return {obj.pk for obj in response.context["cl"].result_list}
