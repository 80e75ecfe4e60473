"""Email, in one small place: a message from a template, sent through Django's mail framework
(`MAILERS`: the console under `make run`, SMTP from the environment in production), and signed
links for confirming an address.

Only Django and `programs.core` are imported here, so any feature can reuse it. The rule every
caller follows: build and send messages in a task (`django.tasks`, run by `manage.py db_worker`),
never in a request, and give the task ids, never addresses (task rows outlive the data).

    from programs import mail

    letter = mail.render("suggestion_decided", {"programme": "…", "reason": "…"})
    mail.send("reader@example.org", letter)                # raises mail.NotSent on failure
    token = mail.sign("suggestion-confirm", suggestion.pk)  # for a link in the message
    mail.unsign("suggestion-confirm", token, max_age=mail.LINK_DAYS)  # → pk, or None
"""

from .letters import Letter, NotSent, render, send
from .links import LINK_DAYS, sign, unsign

__all__ = ["LINK_DAYS", "Letter", "NotSent", "render", "send", "sign", "unsign"]
