"""The console's overview in process: today's usage against the quotas, the person's rate
limits and each endpoint's webhook success rate over 24 hours, on an app with the default
traffic settings (a partner's), so the page fits the cost a console user may spend."""

from __future__ import annotations

import html

from app.factory import create_app
from app.models import UserRole
from app.settings import Settings
from tests.conftest import GENEROUS_LIMITS, Backend, Tenant
from tests.console_fixtures import person
from tests.events_fixtures import Request, running_receiver
from tests.identity_fixtures import add_user
from tests.lifespan import lifespan
from tests.test_webhooks import create_endpoint

TEST = "mutation($id: ID!) { sendTestWebhook(input: {endpointId: $id}) { delivery { status } } }"


def first_ok(_request: Request, index: int) -> tuple[int, dict[str, str], bytes]:
    return (200 if index == 0 else 500), {}, b""


async def test_usage_limits_and_webhook_health(tenant: Tenant, backend: Backend) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with running_receiver(first_ok) as receiver:
        endpoint, _ = await create_endpoint(tenant, receiver.url)
        for status in ("SUCCEEDED", "DEAD"):
            sent = await tenant.gql(TEST, {"id": endpoint["id"]})
            assert sent.ok()["sendTestWebhook"]["delivery"]["status"] == status
    usage = (await tenant.gql("query { usage { requests requestQuota } }")).ok()["usage"]
    settings = backend.settings.model_copy(
        update={name: Settings.model_fields[name].default for name in GENEROUS_LIMITS}
    )
    app = create_app(settings)
    async with lifespan(app), person(app, admin.email) as browser:
        page = await browser.get("/console/")
        assert page.status_code == 200, page.text[-2500:]
        text = html.unescape(page.text)
        assert "Today's usage" in text and f"{usage['requestQuota']:,}" in text
        row = text[text.index(f'href="/console/webhooks/{endpoint["id"]}"') :]
        row = row[: row.index("</tr>")]
        assert "50.0 %" in row and "of 2" in row
        assert "Your rate limits" in text and "points left" in text
        assert "Not available" not in text
