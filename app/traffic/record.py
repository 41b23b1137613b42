"""``RequestTraffic``: what traffic control decided for one request.

It lives at ``scope["state"]["traffic"]`` (and on the resolver context), so the transports
can write the rate-limit headers and ``extensions.cost`` from it and the audit can record the
cost; see ``/work/wt/notes/INTERFACES.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from app.auth.principal import Principal
from app.errors import ErrorCode
from app.traffic.buckets import Take

if TYPE_CHECKING:
    from app.traffic.control import TrafficControl

STATE_KEY = "traffic"


class RateClass(StrEnum):
    """The two buckets of a credential: reads (queries, GET) and writes (mutations, POST,
    PATCH, DELETE)."""

    READ = "read"
    WRITE = "write"

    @classmethod
    def of_method(cls, method: str) -> RateClass:
        return cls.READ if method in ("GET", "HEAD", "OPTIONS") else cls.WRITE


@dataclass(slots=True)
class RequestTraffic:
    control: TrafficControl
    principal: Principal
    resource: RateClass
    """Set from the HTTP method, then from the operation once one runs."""
    requested_cost: int | None = None
    """None: no operation was executed."""
    actual_cost: int | None = None
    charged: int = 0
    """Points taken from the bucket, after refunds."""
    take: Take | None = None
    """The bucket as last seen (for the headers)."""
    refused: ErrorCode | None = None
    counted: bool = False
    """Counted in the day's usage (once per request)."""

    @property
    def credential_id(self) -> str:
        return self.principal.credential_id

    @property
    def org_id(self) -> str:
        return self.principal.org_id

    async def admit(self, resource: RateClass, cost: int) -> None:
        """Charge ``cost`` before execution: ``ApiError`` (429 or ``QUERY_TOO_COMPLEX``) when
        it may not run."""
        await self.control.admit(self, resource, cost)

    async def settle(self, actual: int) -> None:
        """After execution: refund what was charged beyond ``actual``."""
        await self.control.settle(self, actual)

    def cost_extension(self) -> dict[str, object]:
        """GraphQL's ``extensions.cost`` (Shopify's shape)."""
        take = self.take
        status: dict[str, object] | None = None
        if take is not None:
            status = {
                "maximumAvailable": take.capacity,
                "currentlyAvailable": int(take.remaining),
                "restoreRate": round(take.per_second, 3),
            }
        return {
            "requestedQueryCost": self.requested_cost,
            "actualQueryCost": self.actual_cost,
            "throttleStatus": status,
        }
