"""Webhook endpoints, deliveries and attempts in the GraphQL contract."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.events.transport import MAX_HEADERS
from app.ids import IdPrefix
from app.models import DeliveryStatus as DeliveryStatusValue
from app.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from app.models.webhook import PARKED
from app.traffic.cost import FieldCost
from resolvers import webhooks as logic
from schema.connections import Connection, order_by_input, ordering
from schema.costs import cost_metadata
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node
from schema.webhook_payloads import document_checker

MAX_ATTEMPTS_SHOWN = 50
"""A delivery lists at most this many attempts (redeliveries can add more than the
retry schedule); the count is `attemptCount`."""

WebhookDeliveryStatus = strawberry.enum(
    DeliveryStatusValue,
    name="WebhookDeliveryStatus",
    description="`PENDING` while it may still be sent, `SUCCEEDED` after a 2xx answer, `DEAD` "
    "(dead-lettered) once retries ran out or the answer cannot be fixed by retrying.",
)

TYPES_HELP = "Event types; `*` matches any one segment (`job.*`), a lone `*` every type."
SCHEDULE_HELP = (
    "Seconds to wait before each retry; one attempt more than entries. Null: the server's "
    "default (10 attempts over about 37 hours)."
)
DOCUMENT_HELP = (
    "A GraphQL subscription selecting the payload, e.g. `subscription { events { id type "
    "data } }`; it runs at delivery with the current permissions of the credential that saved "
    "it (an API key, or an OAuth client and its user), and the body is its result. Null: the "
    "body is the event."
)


@strawberry.type(description="One HTTP header, as sent or received (names in lower case).")
class HttpHeader:
    name: str
    value: str


HEADERS = FieldCost(max_items=MAX_HEADERS, items_per_point=10)


def _headers(pairs: list[list[str]] | None) -> list[HttpHeader]:
    return [HttpHeader(name=name, value=value) for name, value in pairs or []]


@strawberry.type(name="WebhookAttempt", description="One try at sending a delivery.")
class WebhookAttemptType(FromRow):
    attempt: int = strawberry.field(description="1 for the first attempt.")
    started_at: datetime
    duration_ms: int
    status_code: int | None = strawberry.field(description="Null when no answer came.")
    succeeded: bool
    response_excerpt: str | None = strawberry.field(description="First 1 KB of the answer.")
    error: str | None = strawberry.field(description="Why no answer came (timeout, refused…).")
    next_attempt_at: datetime | None = strawberry.field(description="When it is retried.")
    request_body: str | None = strawberry.field(description="First 4 KB of the body sent.")

    request_headers: list[HttpHeader] = strawberry.field(
        description="The request's headers as sent (signatures included).",
        metadata=cost_metadata(HEADERS),
    )
    response_headers: list[HttpHeader] = strawberry.field(
        description="The answer's headers (the first 50); empty when no answer came.",
        metadata=cost_metadata(HEADERS),
    )

    @classmethod
    def from_row(cls, row: WebhookAttempt) -> WebhookAttemptType:
        attempt = super().from_row(row)
        attempt.request_headers = _headers(row.request_headers)
        attempt.response_headers = _headers(row.response_headers)
        return attempt


@strawberry.type(name="WebhookDelivery", description="One event sent to one endpoint.")
class WebhookDeliveryType(FromRow, Node):
    endpoint_id: strawberry.ID
    event_id: strawberry.ID | None = strawberry.field(description="Null for test deliveries.")
    message_id: str = strawberry.field(description="The `webhook-id` header; same on retries.")
    event_type: str
    aggregate_id: strawberry.ID | None
    sequence: int
    status: WebhookDeliveryStatus  # type: ignore[valid-type]
    attempt_count: int
    next_attempt_at: datetime | None = strawberry.field(
        description="Null unless pending, or while it waits for an earlier event of the same "
        "aggregate to this endpoint."
    )
    last_status_code: int | None
    last_error: str | None
    is_test: bool
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def from_row(cls, row: WebhookDelivery) -> WebhookDeliveryType:
        delivery = super().from_row(row)
        if row.status is not DeliveryStatusValue.PENDING or row.next_attempt_at >= PARKED:
            delivery.next_attempt_at = None
        return delivery

    @query_field(
        scope=Scope.WEBHOOKS_READ,
        description=f"The attempts, first to last (the latest {MAX_ATTEMPTS_SHOWN}).",
        cost=FieldCost(max_items=MAX_ATTEMPTS_SHOWN, items_per_point=10),
    )
    async def attempts(self, info: Info) -> list[WebhookAttemptType]:
        rows = await logic.attempts_of(info.context, self.id)
        return [WebhookAttemptType.from_row(r) for r in rows[-MAX_ATTEMPTS_SHOWN:]]

    @query_field(scope=Scope.WEBHOOKS_READ, description="The endpoint it is sent to.")
    async def endpoint(self, info: Info) -> WebhookEndpointType | None:
        return WebhookEndpointType.maybe(await logic.get_endpoint(info.context, self.endpoint_id))


@strawberry.type(name="WebhookEndpoint", description="Where the organisation's events are sent.")
class WebhookEndpointType(FromRow, Node):
    url: str
    description: str
    enabled: bool
    disabled_reason: str | None
    event_types: list[str] = strawberry.field(description=TYPES_HELP)
    project_ids: list[strawberry.ID] | None = strawberry.field(
        description="Only events of these projects; null: every project."
    )
    event_version: int
    rate_limit: int | None = strawberry.field(description="Most deliveries per second.")
    retry_schedule: list[float] | None = strawberry.field(description=SCHEDULE_HELP)
    subscription_query: str | None = strawberry.field(description=DOCUMENT_HELP)
    failing_since: datetime | None = strawberry.field(
        description="Start of the current run of failures; the endpoint is disabled when it "
        "lasts too long (5 days by default)."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="Until then, deliveries are signed with the previous secret too."
    )
    version: int
    created_at: datetime
    updated_at: datetime

    @query_field(
        scope=Scope.WEBHOOKS_READ, description="Deliveries to this endpoint, newest first."
    )
    async def deliveries(
        self,
        info: Info,
        status: WebhookDeliveryStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookDeliveryType]:
        page = await logic.list_deliveries(
            info.context, logic.DeliveryFilter(endpoint_id=self.id, status=status), first, after
        )
        return Connection.from_page(page, WebhookDeliveryType.from_row)


@strawberry.input
class WebhookDeliveryFilter:
    endpoint_id: strawberry.ID | None = None
    status: WebhookDeliveryStatus | None = None  # type: ignore[valid-type]
    event_id: strawberry.ID | None = None
    event_types: list[str] | None = strawberry.field(default=None, description=TYPES_HELP)
    created_after: datetime | None = strawberry.field(
        default=None, description="Deliveries created at or after this time."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Deliveries created before this time."
    )


@strawberry.input
class CreateWebhookEndpointInput:
    url: str = strawberry.field(
        description="https (http and private addresses only if the server allows them)."
    )
    event_types: list[str] | None = strawberry.field(
        default=None, description=TYPES_HELP + " Default: every type."
    )
    project_ids: list[strawberry.ID] | None = None
    description: str | None = None
    enabled: bool | None = None
    event_version: int | None = None
    rate_limit: int | None = None
    retry_schedule: list[float] | None = strawberry.field(default=None, description=SCHEDULE_HELP)
    subscription_query: str | None = strawberry.field(default=None, description=DOCUMENT_HELP)


@strawberry.input
class UpdateWebhookEndpointInput:
    id: strawberry.ID
    url: str | None = strawberry.UNSET
    event_types: list[str] | None = strawberry.UNSET
    project_ids: list[strawberry.ID] | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    event_version: int | None = strawberry.UNSET
    rate_limit: int | None = strawberry.UNSET
    retry_schedule: list[float] | None = strawberry.UNSET
    subscription_query: str | None = strawberry.UNSET


@strawberry.input
class DeleteWebhookEndpointInput:
    id: strawberry.ID


@strawberry.input
class RotateWebhookSecretInput:
    id: strawberry.ID
    grace_period_seconds: int | None = strawberry.field(
        default=None,
        description="How long the old secret keeps signing too (0 to 7 days; default 24 h).",
    )


@strawberry.input
class SendTestWebhookInput:
    endpoint_id: strawberry.ID


@strawberry.input
class RedeliverWebhookInput:
    delivery_id: strawberry.ID


@strawberry.input
class ReplayWebhookEventsInput:
    endpoint_id: strawberry.ID
    since: datetime
    until: datetime | None = strawberry.field(default=None, description="Default: now.")
    types: list[str] | None = strawberry.field(default=None, description=TYPES_HELP)
    dry_run: bool = strawberry.field(
        default=False, description="Count the events that would be sent; queue nothing."
    )


@strawberry.type
class WebhookEndpointPayload(MutationPayload):
    webhook_endpoint: WebhookEndpointType | None = None


@strawberry.type
class CreateWebhookEndpointPayload(MutationPayload):
    webhook_endpoint: WebhookEndpointType | None = None
    secret: str | None = strawberry.field(
        default=None, description="The signing secret (`whsec_…`); shown only now."
    )


@strawberry.type
class RotateWebhookSecretPayload(MutationPayload):
    webhook_endpoint: WebhookEndpointType | None = None
    secret: str | None = strawberry.field(
        default=None, description="The new signing secret; shown only now."
    )


@strawberry.type
class DeleteWebhookEndpointPayload(MutationPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class SendTestWebhookPayload(MutationPayload):
    delivery: WebhookDeliveryType | None = None
    attempt: WebhookAttemptType | None = None


@strawberry.type
class RedeliverWebhookPayload(MutationPayload):
    delivery: WebhookDeliveryType | None = None


@strawberry.type
class ReplayWebhookEventsPayload(MutationPayload):
    count: int | None = strawberry.field(
        default=None, description="Events queued (with `dryRun`: that would be queued)."
    )


WebhookEndpointOrderBy = order_by_input(
    "WebhookEndpoint", CREATED_AT="created_at", UPDATED_AT="updated_at"
)


@strawberry.type
class WebhookQueries:
    @query_field(scope=Scope.WEBHOOKS_READ, description="One webhook endpoint by id.")
    async def webhook_endpoint(self, info: Info, id: strawberry.ID) -> WebhookEndpointType | None:
        return WebhookEndpointType.maybe(await logic.get_endpoint(info.context, id))

    @query_field(scope=Scope.WEBHOOKS_READ, description="Webhook endpoints of the organisation.")
    async def webhook_endpoints(
        self,
        info: Info,
        enabled: bool | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: WebhookEndpointOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[WebhookEndpointType]:
        page = await logic.list_endpoints(info.context, enabled, ordering(order_by), first, after)
        return Connection.from_page(page, WebhookEndpointType.from_row)

    @query_field(scope=Scope.WEBHOOKS_READ, description="One delivery by id.")
    async def webhook_delivery(self, info: Info, id: strawberry.ID) -> WebhookDeliveryType | None:
        return WebhookDeliveryType.maybe(await logic.get_delivery(info.context, id))

    @query_field(scope=Scope.WEBHOOKS_READ, description="Deliveries, newest first.")
    async def webhook_deliveries(
        self,
        info: Info,
        filter: WebhookDeliveryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookDeliveryType]:
        given = filter or WebhookDeliveryFilter()
        page = await logic.list_deliveries(
            info.context,
            logic.DeliveryFilter(
                endpoint_id=given.endpoint_id,
                status=given.status,
                event_id=given.event_id,
                event_types=given.event_types,
                created_after=given.created_after,
                created_before=given.created_before,
            ),
            first,
            after,
        )
        return Connection.from_page(page, WebhookDeliveryType.from_row)


@strawberry.type
class WebhookMutations:
    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE,
        description="Create an endpoint; the payload carries its signing secret, shown once.",
    )
    async def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> CreateWebhookEndpointPayload:
        endpoint, secret = await logic.create_endpoint(
            info.context, changes_of(input), document_checker(info.schema)
        )
        return CreateWebhookEndpointPayload(
            webhook_endpoint=WebhookEndpointType.from_row(endpoint), secret=secret
        )

    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE,
        description="Change an endpoint; omitted fields are kept. Enabling it again resumes "
        "its pending deliveries.",
    )
    async def update_webhook_endpoint(
        self, info: Info, input: UpdateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        endpoint = await logic.update_endpoint(
            info.context,
            input.id,
            changes_of(input, exclude=("id",)),
            document_checker(info.schema),
        )
        return WebhookEndpointPayload(webhook_endpoint=WebhookEndpointType.from_row(endpoint))

    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE, description="Delete an endpoint with its delivery history."
    )
    async def delete_webhook_endpoint(
        self, info: Info, input: DeleteWebhookEndpointInput
    ) -> DeleteWebhookEndpointPayload:
        deleted = await logic.delete_endpoint(info.context, input.id)
        return DeleteWebhookEndpointPayload(deleted_id=strawberry.ID(deleted))

    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE,
        description="Issue a new signing secret; deliveries carry signatures of both secrets "
        "during the grace period.",
    )
    async def rotate_webhook_secret(
        self, info: Info, input: RotateWebhookSecretInput
    ) -> RotateWebhookSecretPayload:
        endpoint, secret = await logic.rotate_secret(
            info.context, input.id, input.grace_period_seconds
        )
        return RotateWebhookSecretPayload(
            webhook_endpoint=WebhookEndpointType.from_row(endpoint), secret=secret
        )

    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE,
        description="Send a `webhook.test` event now (one attempt) and return the attempt.",
    )
    async def send_test_webhook(
        self, info: Info, input: SendTestWebhookInput
    ) -> SendTestWebhookPayload:
        delivery, attempt = await logic.send_test(info.context, input.endpoint_id)
        return SendTestWebhookPayload(
            delivery=WebhookDeliveryType.from_row(delivery),
            attempt=WebhookAttemptType.from_row(attempt),
        )

    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE,
        description="Send a delivery again now, with a fresh round of retries.",
    )
    async def redeliver_webhook(
        self, info: Info, input: RedeliverWebhookInput
    ) -> RedeliverWebhookPayload:
        delivery = await logic.redeliver(info.context, input.delivery_id)
        return RedeliverWebhookPayload(delivery=WebhookDeliveryType.from_row(delivery))

    @mutation_field(
        scope=Scope.WEBHOOKS_WRITE,
        description="Send an endpoint every event it subscribes to from `since` (until `until`) "
        "again, in order; returns how many were queued (bounded by the server).",
    )
    async def replay_webhook_events(
        self, info: Info, input: ReplayWebhookEventsInput
    ) -> ReplayWebhookEventsPayload:
        count = await logic.replay(
            info.context,
            input.endpoint_id,
            input.since,
            input.until,
            input.types,
            dry_run=input.dry_run,
        )
        return ReplayWebhookEventsPayload(count=count)


register_node(IdPrefix.WEBHOOK_ENDPOINT, WebhookEndpoint, WebhookEndpointType, Scope.WEBHOOKS_READ)
register_node(IdPrefix.DELIVERY, WebhookDelivery, WebhookDeliveryType, Scope.WEBHOOKS_READ)

QUERIES: tuple[type, ...] = (WebhookQueries,)
MUTATIONS: tuple[type, ...] = (WebhookMutations,)
