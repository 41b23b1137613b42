"""The caller's rate limits and the organisation's usage today, from traffic control."""

from __future__ import annotations

from dataclasses import replace

from app.errors import ApiError, ErrorCode
from app.traffic.buckets import Take
from app.traffic.control import TrafficControl, Usage
from app.traffic.record import RateClass
from resolvers.context import Context


def _control(ctx: Context) -> TrafficControl:
    if ctx.traffic is None:
        raise ApiError(ErrorCode.BAD_REQUEST, "Rate limits apply to API requests only.")
    return ctx.traffic.control


async def rate_limits(ctx: Context) -> dict[RateClass, Take]:
    return await _control(ctx).status(ctx.principal)


async def usage_today(ctx: Context) -> Usage:
    """A caller limited to projects sees the organisation's totals but only its own
    credential's count (the others' ids are not its to see)."""
    usage = await _control(ctx).usage(ctx.org_id)
    if ctx.principal.project_ids is None:
        return usage
    mine = ctx.principal.credential_id
    return replace(
        usage, per_credential={k: v for k, v in usage.per_credential.items() if k == mine}
    )
