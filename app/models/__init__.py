"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from __future__ import annotations

from app.models.api_key import ApiKey, ApiKeySecret, ApiKeyStatus
from app.models.asset import Asset, AssetKind, AssetReviewStatus, AssetStatus
from app.models.audit import AuditRecord, Transport
from app.models.automation import (
    Automation,
    AutomationRun,
    InboundWebhookMessage,
    RunStatus,
    TriggerType,
)
from app.models.content import Character, Scene, Segment, SegmentCharacter
from app.models.event import Event
from app.models.idempotency import IdempotencyKey
from app.models.identity import (
    OAuthAuthorizationCode,
    OAuthClient,
    OAuthClientType,
    OAuthConsent,
    OAuthGrant,
    OAuthRefreshToken,
    OAuthRevokedToken,
    OAuthSigningKey,
    User,
    UserRole,
    UserSession,
)
from app.models.job import Job, JobKind, JobStatus
from app.models.manifest import Manifest, ManifestSchema, ManifestStatus
from app.models.organization import Organization
from app.models.project import Project, ProjectStatus
from app.models.telemetry import TelemetryEvent, TelemetryInsertId
from app.models.template import Template
from app.models.webhook import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiKey",
    "ApiKeySecret",
    "ApiKeyStatus",
    "Asset",
    "AssetKind",
    "AssetReviewStatus",
    "AssetStatus",
    "AuditRecord",
    "Automation",
    "AutomationRun",
    "Character",
    "DeliveryStatus",
    "Event",
    "IdempotencyKey",
    "InboundWebhookMessage",
    "Job",
    "JobKind",
    "JobStatus",
    "Manifest",
    "ManifestSchema",
    "ManifestStatus",
    "OAuthAuthorizationCode",
    "OAuthClient",
    "OAuthClientType",
    "OAuthConsent",
    "OAuthGrant",
    "OAuthRefreshToken",
    "OAuthRevokedToken",
    "OAuthSigningKey",
    "Organization",
    "Project",
    "ProjectStatus",
    "RunStatus",
    "Scene",
    "Segment",
    "SegmentCharacter",
    "TelemetryEvent",
    "TelemetryInsertId",
    "Template",
    "Transport",
    "TriggerType",
    "User",
    "UserRole",
    "UserSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
