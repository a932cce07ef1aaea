"""Every e-mail goes through the task queue: the request that caused it never waits for the
mail server, and a mail server that is down never turns a saved action into an error.

EMAIL_BACKEND is `QueuedEmailBackend`: it keeps each message as an `OutgoingMail` and
queues its delivery (in the caller's transaction: with the database task backend, the worker
sees it once the action commits). The delivery task sends it through MAIL_DELIVERY_BACKEND
(SMTP in production), retrying with exponential back-off; a mail still undelivered after
MAIL_MAX_TRIES tries waits in the admin, with its error, for an official to resend it.
"""
