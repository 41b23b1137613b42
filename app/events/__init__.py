"""Events after commit: the dispatcher, the subscriber bus and the webhook sender.

The outbox (``app/outbox.py``) writes event rows in the change's transaction; everything here
reads committed rows, so a crash anywhere delays events but never loses one.
"""
