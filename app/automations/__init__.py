"""Automations: a trigger (an inbound webhook, a cron schedule, an asset becoming ready, or a
manual run) starts a run that executes the automation's actions in order (render a job from a
template, call a webhook), each able to read the trigger and earlier actions' outputs.

Runs are rows claimed by workers with a lease and a fencing token, so a run is executed by one
worker at a time and a finished action is never executed again (see ``runner``).
"""
