"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_list import ApiKeyList
from .api_key_status import ApiKeyStatus
from .api_keys_sort import ApiKeysSort
from .api_keys_status import ApiKeysStatus
from .approve_asset_body import ApproveAssetBody
from .asset import Asset
from .asset_list import AssetList
from .asset_media_type_0 import AssetMediaType0
from .asset_review_status import AssetReviewStatus
from .asset_status import AssetStatus
from .asset_type import AssetType
from .asset_urls_type_0 import AssetUrlsType0
from .assets_review_status import AssetsReviewStatus
from .assets_sort import AssetsSort
from .assets_status import AssetsStatus
from .assets_type import AssetsType
from .audit_log_transport import AuditLogTransport
from .audit_record import AuditRecord
from .audit_record_list import AuditRecordList
from .audit_record_transport import AuditRecordTransport
from .automation import Automation
from .automation_actions_item import AutomationActionsItem
from .automation_actions_item_type import AutomationActionsItemType
from .automation_list import AutomationList
from .automation_run import AutomationRun
from .automation_run_list import AutomationRunList
from .automation_run_status import AutomationRunStatus
from .automation_run_steps_item import AutomationRunStepsItem
from .automation_run_steps_item_type import AutomationRunStepsItemType
from .automation_run_trigger_type import AutomationRunTriggerType
from .automation_runs_status import AutomationRunsStatus
from .automation_trigger import AutomationTrigger
from .automation_trigger_signature_scheme_type_1 import AutomationTriggerSignatureSchemeType1
from .automation_trigger_signature_scheme_type_2_type_1 import (
    AutomationTriggerSignatureSchemeType2Type1,
)
from .automation_trigger_signature_scheme_type_3_type_1 import (
    AutomationTriggerSignatureSchemeType3Type1,
)
from .automation_trigger_type import AutomationTriggerType
from .automations_sort import AutomationsSort
from .character import Character
from .character_list import CharacterList
from .characters_sort import CharactersSort
from .claim_job_body import ClaimJobBody
from .claim_job_body_kinds_item import ClaimJobBodyKindsItem
from .complete_job_body import CompleteJobBody
from .create_api_key_body import CreateApiKeyBody
from .create_api_key_response_201 import CreateApiKeyResponse201
from .create_api_key_response_201_status import CreateApiKeyResponse201Status
from .create_asset_body import CreateAssetBody
from .create_asset_body_status_type_1 import CreateAssetBodyStatusType1
from .create_asset_body_status_type_2_type_1 import CreateAssetBodyStatusType2Type1
from .create_asset_body_status_type_3_type_1 import CreateAssetBodyStatusType3Type1
from .create_asset_body_type import CreateAssetBodyType
from .create_asset_response_201 import CreateAssetResponse201
from .create_asset_response_201_media_type_0 import CreateAssetResponse201MediaType0
from .create_asset_response_201_review_status import CreateAssetResponse201ReviewStatus
from .create_asset_response_201_status import CreateAssetResponse201Status
from .create_asset_response_201_type import CreateAssetResponse201Type
from .create_asset_response_201_upload_type_0 import CreateAssetResponse201UploadType0
from .create_asset_response_201_urls_type_0 import CreateAssetResponse201UrlsType0
from .create_automation_body import CreateAutomationBody
from .create_automation_body_actions_item import CreateAutomationBodyActionsItem
from .create_automation_body_actions_item_type import CreateAutomationBodyActionsItemType
from .create_automation_body_trigger import CreateAutomationBodyTrigger
from .create_automation_body_trigger_signature_scheme_type_1 import (
    CreateAutomationBodyTriggerSignatureSchemeType1,
)
from .create_automation_body_trigger_signature_scheme_type_2_type_1 import (
    CreateAutomationBodyTriggerSignatureSchemeType2Type1,
)
from .create_automation_body_trigger_signature_scheme_type_3_type_1 import (
    CreateAutomationBodyTriggerSignatureSchemeType3Type1,
)
from .create_automation_body_trigger_type import CreateAutomationBodyTriggerType
from .create_automation_response_201 import CreateAutomationResponse201
from .create_automation_response_201_actions_item import CreateAutomationResponse201ActionsItem
from .create_automation_response_201_actions_item_type import (
    CreateAutomationResponse201ActionsItemType,
)
from .create_automation_response_201_trigger import CreateAutomationResponse201Trigger
from .create_automation_response_201_trigger_signature_scheme_type_1 import (
    CreateAutomationResponse201TriggerSignatureSchemeType1,
)
from .create_automation_response_201_trigger_signature_scheme_type_2_type_1 import (
    CreateAutomationResponse201TriggerSignatureSchemeType2Type1,
)
from .create_automation_response_201_trigger_signature_scheme_type_3_type_1 import (
    CreateAutomationResponse201TriggerSignatureSchemeType3Type1,
)
from .create_automation_response_201_trigger_type import CreateAutomationResponse201TriggerType
from .create_character_body import CreateCharacterBody
from .create_manifest_schema_body import CreateManifestSchemaBody
from .create_oauth_client_body import CreateOauthClientBody
from .create_oauth_client_body_client_type import CreateOauthClientBodyClientType
from .create_oauth_client_response_201 import CreateOauthClientResponse201
from .create_oauth_client_response_201_client_type import CreateOauthClientResponse201ClientType
from .create_project_body import CreateProjectBody
from .create_scene_body import CreateSceneBody
from .create_segment_body import CreateSegmentBody
from .create_template_body import CreateTemplateBody
from .create_template_body_variables_type_0_item import CreateTemplateBodyVariablesType0Item
from .create_template_body_variables_type_0_item_type import (
    CreateTemplateBodyVariablesType0ItemType,
)
from .create_user_body import CreateUserBody
from .create_user_body_role import CreateUserBodyRole
from .create_webhook_endpoint_body import CreateWebhookEndpointBody
from .create_webhook_endpoint_response_201 import CreateWebhookEndpointResponse201
from .error_response import ErrorResponse
from .error_response_error import ErrorResponseError
from .error_response_error_code import ErrorResponseErrorCode
from .error_response_error_fields_item import ErrorResponseErrorFieldsItem
from .event import Event
from .event_list import EventList
from .fail_job_body import FailJobBody
from .ingest_telemetry_body import IngestTelemetryBody
from .ingest_telemetry_body_events_item import IngestTelemetryBodyEventsItem
from .ingest_telemetry_response_200 import IngestTelemetryResponse200
from .ingest_telemetry_response_200_refused_item import IngestTelemetryResponse200RefusedItem
from .ingest_telemetry_response_200_refused_item_field import (
    IngestTelemetryResponse200RefusedItemField,
)
from .job import Job
from .job_kind import JobKind
from .job_list import JobList
from .job_status import JobStatus
from .jobs_kind import JobsKind
from .jobs_sort import JobsSort
from .jobs_status import JobsStatus
from .manifest import Manifest
from .manifest_assets_item import ManifestAssetsItem
from .manifest_assets_item_outcome import ManifestAssetsItemOutcome
from .manifest_errors_item import ManifestErrorsItem
from .manifest_list import ManifestList
from .manifest_schema import ManifestSchema
from .manifest_schema_list import ManifestSchemaList
from .manifest_schemas_sort import ManifestSchemasSort
from .manifest_status import ManifestStatus
from .manifests_sort import ManifestsSort
from .manifests_status import ManifestsStatus
from .o_auth_client import OAuthClient
from .o_auth_client_client_type import OAuthClientClientType
from .o_auth_client_list import OAuthClientList
from .oauth_clients_sort import OauthClientsSort
from .project import Project
from .project_list import ProjectList
from .project_status import ProjectStatus
from .projects_sort import ProjectsSort
from .projects_status import ProjectsStatus
from .rate_limit_response_200 import RateLimitResponse200
from .rate_limit_response_200_read import RateLimitResponse200Read
from .rate_limit_response_200_read_resource import RateLimitResponse200ReadResource
from .rate_limit_response_200_write import RateLimitResponse200Write
from .rate_limit_response_200_write_resource import RateLimitResponse200WriteResource
from .reject_asset_body import RejectAssetBody
from .reorder_scenes_body import ReorderScenesBody
from .reorder_scenes_response_200 import ReorderScenesResponse200
from .reorder_segments_body import ReorderSegmentsBody
from .reorder_segments_response_200 import ReorderSegmentsResponse200
from .replay_webhook_events_body import ReplayWebhookEventsBody
from .replay_webhook_events_response_200 import ReplayWebhookEventsResponse200
from .report_job_progress_body import ReportJobProgressBody
from .rotate_api_key_body import RotateApiKeyBody
from .rotate_api_key_response_200 import RotateApiKeyResponse200
from .rotate_api_key_response_200_status import RotateApiKeyResponse200Status
from .rotate_automation_inbound_secret_body import RotateAutomationInboundSecretBody
from .rotate_automation_inbound_secret_response_200 import RotateAutomationInboundSecretResponse200
from .rotate_automation_inbound_secret_response_200_actions_item import (
    RotateAutomationInboundSecretResponse200ActionsItem,
)
from .rotate_automation_inbound_secret_response_200_actions_item_type import (
    RotateAutomationInboundSecretResponse200ActionsItemType,
)
from .rotate_automation_inbound_secret_response_200_trigger import (
    RotateAutomationInboundSecretResponse200Trigger,
)
from .rotate_automation_inbound_secret_response_200_trigger_signature_scheme_type_1 import (
    RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType1,
)
from .rotate_automation_inbound_secret_response_200_trigger_signature_scheme_type_2_type_1 import (
    RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType2Type1,
)
from .rotate_automation_inbound_secret_response_200_trigger_signature_scheme_type_3_type_1 import (
    RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType3Type1,
)
from .rotate_automation_inbound_secret_response_200_trigger_type import (
    RotateAutomationInboundSecretResponse200TriggerType,
)
from .rotate_oauth_client_secret_response_200 import RotateOauthClientSecretResponse200
from .rotate_oauth_client_secret_response_200_client_type import (
    RotateOauthClientSecretResponse200ClientType,
)
from .rotate_webhook_secret_body import RotateWebhookSecretBody
from .rotate_webhook_secret_response_200 import RotateWebhookSecretResponse200
from .run_automation_body import RunAutomationBody
from .scene import Scene
from .scene_list import SceneList
from .scenes_sort import ScenesSort
from .segment import Segment
from .segment_list import SegmentList
from .segments_sort import SegmentsSort
from .send_test_webhook_response_200 import SendTestWebhookResponse200
from .send_test_webhook_response_200_attempt_type_0 import SendTestWebhookResponse200AttemptType0
from .send_test_webhook_response_200_attempt_type_0_request_headers_item import (
    SendTestWebhookResponse200AttemptType0RequestHeadersItem,
)
from .send_test_webhook_response_200_attempt_type_0_response_headers_item import (
    SendTestWebhookResponse200AttemptType0ResponseHeadersItem,
)
from .send_test_webhook_response_200_attempts_item import SendTestWebhookResponse200AttemptsItem
from .send_test_webhook_response_200_attempts_item_request_headers_item import (
    SendTestWebhookResponse200AttemptsItemRequestHeadersItem,
)
from .send_test_webhook_response_200_attempts_item_response_headers_item import (
    SendTestWebhookResponse200AttemptsItemResponseHeadersItem,
)
from .send_test_webhook_response_200_status import SendTestWebhookResponse200Status
from .submit_job_body import SubmitJobBody
from .submit_job_body_kind import SubmitJobBodyKind
from .submit_manifest_body import SubmitManifestBody
from .submit_manifest_response_201 import SubmitManifestResponse201
from .submit_manifest_response_201_assets_item import SubmitManifestResponse201AssetsItem
from .submit_manifest_response_201_assets_item_outcome import (
    SubmitManifestResponse201AssetsItemOutcome,
)
from .submit_manifest_response_201_errors_item import SubmitManifestResponse201ErrorsItem
from .submit_manifest_response_201_status import SubmitManifestResponse201Status
from .telemetry_event import TelemetryEvent
from .telemetry_event_list import TelemetryEventList
from .telemetry_stats_group_by import TelemetryStatsGroupBy
from .telemetry_stats_response_200 import TelemetryStatsResponse200
from .telemetry_stats_response_200_buckets_item import TelemetryStatsResponse200BucketsItem
from .telemetry_stats_response_200_group_by import TelemetryStatsResponse200GroupBy
from .template import Template
from .template_list import TemplateList
from .template_variables_item import TemplateVariablesItem
from .template_variables_item_type import TemplateVariablesItemType
from .templates_sort import TemplatesSort
from .update_api_key_body import UpdateApiKeyBody
from .update_asset_body import UpdateAssetBody
from .update_asset_body_status_type_1 import UpdateAssetBodyStatusType1
from .update_asset_body_status_type_2_type_1 import UpdateAssetBodyStatusType2Type1
from .update_asset_body_status_type_3_type_1 import UpdateAssetBodyStatusType3Type1
from .update_asset_body_type_type_1 import UpdateAssetBodyTypeType1
from .update_asset_body_type_type_2_type_1 import UpdateAssetBodyTypeType2Type1
from .update_asset_body_type_type_3_type_1 import UpdateAssetBodyTypeType3Type1
from .update_automation_body import UpdateAutomationBody
from .update_automation_body_actions_type_0_item import UpdateAutomationBodyActionsType0Item
from .update_automation_body_actions_type_0_item_type import (
    UpdateAutomationBodyActionsType0ItemType,
)
from .update_automation_body_trigger_type_0 import UpdateAutomationBodyTriggerType0
from .update_automation_body_trigger_type_0_signature_scheme_type_1 import (
    UpdateAutomationBodyTriggerType0SignatureSchemeType1,
)
from .update_automation_body_trigger_type_0_signature_scheme_type_2_type_1 import (
    UpdateAutomationBodyTriggerType0SignatureSchemeType2Type1,
)
from .update_automation_body_trigger_type_0_signature_scheme_type_3_type_1 import (
    UpdateAutomationBodyTriggerType0SignatureSchemeType3Type1,
)
from .update_automation_body_trigger_type_0_type import UpdateAutomationBodyTriggerType0Type
from .update_automation_response_200 import UpdateAutomationResponse200
from .update_automation_response_200_actions_item import UpdateAutomationResponse200ActionsItem
from .update_automation_response_200_actions_item_type import (
    UpdateAutomationResponse200ActionsItemType,
)
from .update_automation_response_200_trigger import UpdateAutomationResponse200Trigger
from .update_automation_response_200_trigger_signature_scheme_type_1 import (
    UpdateAutomationResponse200TriggerSignatureSchemeType1,
)
from .update_automation_response_200_trigger_signature_scheme_type_2_type_1 import (
    UpdateAutomationResponse200TriggerSignatureSchemeType2Type1,
)
from .update_automation_response_200_trigger_signature_scheme_type_3_type_1 import (
    UpdateAutomationResponse200TriggerSignatureSchemeType3Type1,
)
from .update_automation_response_200_trigger_type import UpdateAutomationResponse200TriggerType
from .update_character_body import UpdateCharacterBody
from .update_manifest_schema_body import UpdateManifestSchemaBody
from .update_metadata_body import UpdateMetadataBody
from .update_metadata_response_200 import UpdateMetadataResponse200
from .update_metadata_response_200_node_type_0 import UpdateMetadataResponse200NodeType0
from .update_oauth_client_body import UpdateOauthClientBody
from .update_project_body import UpdateProjectBody
from .update_project_body_status_type_1 import UpdateProjectBodyStatusType1
from .update_project_body_status_type_2_type_1 import UpdateProjectBodyStatusType2Type1
from .update_project_body_status_type_3_type_1 import UpdateProjectBodyStatusType3Type1
from .update_scene_body import UpdateSceneBody
from .update_segment_body import UpdateSegmentBody
from .update_template_body import UpdateTemplateBody
from .update_template_body_variables_type_0_item import UpdateTemplateBodyVariablesType0Item
from .update_template_body_variables_type_0_item_type import (
    UpdateTemplateBodyVariablesType0ItemType,
)
from .update_user_body import UpdateUserBody
from .update_user_body_role_type_1 import UpdateUserBodyRoleType1
from .update_user_body_role_type_2_type_1 import UpdateUserBodyRoleType2Type1
from .update_user_body_role_type_3_type_1 import UpdateUserBodyRoleType3Type1
from .update_webhook_endpoint_body import UpdateWebhookEndpointBody
from .usage_response_200 import UsageResponse200
from .usage_response_200_credentials_item import UsageResponse200CredentialsItem
from .user import User
from .user_list import UserList
from .user_role import UserRole
from .users_role import UsersRole
from .users_sort import UsersSort
from .viewer_response_200 import ViewerResponse200
from .viewer_response_200_credential_kind import ViewerResponse200CredentialKind
from .webhook_deliveries_status import WebhookDeliveriesStatus
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_attempts_item import WebhookDeliveryAttemptsItem
from .webhook_delivery_attempts_item_request_headers_item import (
    WebhookDeliveryAttemptsItemRequestHeadersItem,
)
from .webhook_delivery_attempts_item_response_headers_item import (
    WebhookDeliveryAttemptsItemResponseHeadersItem,
)
from .webhook_delivery_list import WebhookDeliveryList
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_list import WebhookEndpointList
from .webhook_endpoints_sort import WebhookEndpointsSort

__all__ = (
    "ApiKey",
    "ApiKeyList",
    "ApiKeysSort",
    "ApiKeysStatus",
    "ApiKeyStatus",
    "ApproveAssetBody",
    "Asset",
    "AssetList",
    "AssetMediaType0",
    "AssetReviewStatus",
    "AssetsReviewStatus",
    "AssetsSort",
    "AssetsStatus",
    "AssetStatus",
    "AssetsType",
    "AssetType",
    "AssetUrlsType0",
    "AuditLogTransport",
    "AuditRecord",
    "AuditRecordList",
    "AuditRecordTransport",
    "Automation",
    "AutomationActionsItem",
    "AutomationActionsItemType",
    "AutomationList",
    "AutomationRun",
    "AutomationRunList",
    "AutomationRunsStatus",
    "AutomationRunStatus",
    "AutomationRunStepsItem",
    "AutomationRunStepsItemType",
    "AutomationRunTriggerType",
    "AutomationsSort",
    "AutomationTrigger",
    "AutomationTriggerSignatureSchemeType1",
    "AutomationTriggerSignatureSchemeType2Type1",
    "AutomationTriggerSignatureSchemeType3Type1",
    "AutomationTriggerType",
    "Character",
    "CharacterList",
    "CharactersSort",
    "ClaimJobBody",
    "ClaimJobBodyKindsItem",
    "CompleteJobBody",
    "CreateApiKeyBody",
    "CreateApiKeyResponse201",
    "CreateApiKeyResponse201Status",
    "CreateAssetBody",
    "CreateAssetBodyStatusType1",
    "CreateAssetBodyStatusType2Type1",
    "CreateAssetBodyStatusType3Type1",
    "CreateAssetBodyType",
    "CreateAssetResponse201",
    "CreateAssetResponse201MediaType0",
    "CreateAssetResponse201ReviewStatus",
    "CreateAssetResponse201Status",
    "CreateAssetResponse201Type",
    "CreateAssetResponse201UploadType0",
    "CreateAssetResponse201UrlsType0",
    "CreateAutomationBody",
    "CreateAutomationBodyActionsItem",
    "CreateAutomationBodyActionsItemType",
    "CreateAutomationBodyTrigger",
    "CreateAutomationBodyTriggerSignatureSchemeType1",
    "CreateAutomationBodyTriggerSignatureSchemeType2Type1",
    "CreateAutomationBodyTriggerSignatureSchemeType3Type1",
    "CreateAutomationBodyTriggerType",
    "CreateAutomationResponse201",
    "CreateAutomationResponse201ActionsItem",
    "CreateAutomationResponse201ActionsItemType",
    "CreateAutomationResponse201Trigger",
    "CreateAutomationResponse201TriggerSignatureSchemeType1",
    "CreateAutomationResponse201TriggerSignatureSchemeType2Type1",
    "CreateAutomationResponse201TriggerSignatureSchemeType3Type1",
    "CreateAutomationResponse201TriggerType",
    "CreateCharacterBody",
    "CreateManifestSchemaBody",
    "CreateOauthClientBody",
    "CreateOauthClientBodyClientType",
    "CreateOauthClientResponse201",
    "CreateOauthClientResponse201ClientType",
    "CreateProjectBody",
    "CreateSceneBody",
    "CreateSegmentBody",
    "CreateTemplateBody",
    "CreateTemplateBodyVariablesType0Item",
    "CreateTemplateBodyVariablesType0ItemType",
    "CreateUserBody",
    "CreateUserBodyRole",
    "CreateWebhookEndpointBody",
    "CreateWebhookEndpointResponse201",
    "ErrorResponse",
    "ErrorResponseError",
    "ErrorResponseErrorCode",
    "ErrorResponseErrorFieldsItem",
    "Event",
    "EventList",
    "FailJobBody",
    "IngestTelemetryBody",
    "IngestTelemetryBodyEventsItem",
    "IngestTelemetryResponse200",
    "IngestTelemetryResponse200RefusedItem",
    "IngestTelemetryResponse200RefusedItemField",
    "Job",
    "JobKind",
    "JobList",
    "JobsKind",
    "JobsSort",
    "JobsStatus",
    "JobStatus",
    "Manifest",
    "ManifestAssetsItem",
    "ManifestAssetsItemOutcome",
    "ManifestErrorsItem",
    "ManifestList",
    "ManifestSchema",
    "ManifestSchemaList",
    "ManifestSchemasSort",
    "ManifestsSort",
    "ManifestsStatus",
    "ManifestStatus",
    "OAuthClient",
    "OAuthClientClientType",
    "OAuthClientList",
    "OauthClientsSort",
    "Project",
    "ProjectList",
    "ProjectsSort",
    "ProjectsStatus",
    "ProjectStatus",
    "RateLimitResponse200",
    "RateLimitResponse200Read",
    "RateLimitResponse200ReadResource",
    "RateLimitResponse200Write",
    "RateLimitResponse200WriteResource",
    "RejectAssetBody",
    "ReorderScenesBody",
    "ReorderScenesResponse200",
    "ReorderSegmentsBody",
    "ReorderSegmentsResponse200",
    "ReplayWebhookEventsBody",
    "ReplayWebhookEventsResponse200",
    "ReportJobProgressBody",
    "RotateApiKeyBody",
    "RotateApiKeyResponse200",
    "RotateApiKeyResponse200Status",
    "RotateAutomationInboundSecretBody",
    "RotateAutomationInboundSecretResponse200",
    "RotateAutomationInboundSecretResponse200ActionsItem",
    "RotateAutomationInboundSecretResponse200ActionsItemType",
    "RotateAutomationInboundSecretResponse200Trigger",
    "RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType1",
    "RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType2Type1",
    "RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType3Type1",
    "RotateAutomationInboundSecretResponse200TriggerType",
    "RotateOauthClientSecretResponse200",
    "RotateOauthClientSecretResponse200ClientType",
    "RotateWebhookSecretBody",
    "RotateWebhookSecretResponse200",
    "RunAutomationBody",
    "Scene",
    "SceneList",
    "ScenesSort",
    "Segment",
    "SegmentList",
    "SegmentsSort",
    "SendTestWebhookResponse200",
    "SendTestWebhookResponse200AttemptsItem",
    "SendTestWebhookResponse200AttemptsItemRequestHeadersItem",
    "SendTestWebhookResponse200AttemptsItemResponseHeadersItem",
    "SendTestWebhookResponse200AttemptType0",
    "SendTestWebhookResponse200AttemptType0RequestHeadersItem",
    "SendTestWebhookResponse200AttemptType0ResponseHeadersItem",
    "SendTestWebhookResponse200Status",
    "SubmitJobBody",
    "SubmitJobBodyKind",
    "SubmitManifestBody",
    "SubmitManifestResponse201",
    "SubmitManifestResponse201AssetsItem",
    "SubmitManifestResponse201AssetsItemOutcome",
    "SubmitManifestResponse201ErrorsItem",
    "SubmitManifestResponse201Status",
    "TelemetryEvent",
    "TelemetryEventList",
    "TelemetryStatsGroupBy",
    "TelemetryStatsResponse200",
    "TelemetryStatsResponse200BucketsItem",
    "TelemetryStatsResponse200GroupBy",
    "Template",
    "TemplateList",
    "TemplatesSort",
    "TemplateVariablesItem",
    "TemplateVariablesItemType",
    "UpdateApiKeyBody",
    "UpdateAssetBody",
    "UpdateAssetBodyStatusType1",
    "UpdateAssetBodyStatusType2Type1",
    "UpdateAssetBodyStatusType3Type1",
    "UpdateAssetBodyTypeType1",
    "UpdateAssetBodyTypeType2Type1",
    "UpdateAssetBodyTypeType3Type1",
    "UpdateAutomationBody",
    "UpdateAutomationBodyActionsType0Item",
    "UpdateAutomationBodyActionsType0ItemType",
    "UpdateAutomationBodyTriggerType0",
    "UpdateAutomationBodyTriggerType0SignatureSchemeType1",
    "UpdateAutomationBodyTriggerType0SignatureSchemeType2Type1",
    "UpdateAutomationBodyTriggerType0SignatureSchemeType3Type1",
    "UpdateAutomationBodyTriggerType0Type",
    "UpdateAutomationResponse200",
    "UpdateAutomationResponse200ActionsItem",
    "UpdateAutomationResponse200ActionsItemType",
    "UpdateAutomationResponse200Trigger",
    "UpdateAutomationResponse200TriggerSignatureSchemeType1",
    "UpdateAutomationResponse200TriggerSignatureSchemeType2Type1",
    "UpdateAutomationResponse200TriggerSignatureSchemeType3Type1",
    "UpdateAutomationResponse200TriggerType",
    "UpdateCharacterBody",
    "UpdateManifestSchemaBody",
    "UpdateMetadataBody",
    "UpdateMetadataResponse200",
    "UpdateMetadataResponse200NodeType0",
    "UpdateOauthClientBody",
    "UpdateProjectBody",
    "UpdateProjectBodyStatusType1",
    "UpdateProjectBodyStatusType2Type1",
    "UpdateProjectBodyStatusType3Type1",
    "UpdateSceneBody",
    "UpdateSegmentBody",
    "UpdateTemplateBody",
    "UpdateTemplateBodyVariablesType0Item",
    "UpdateTemplateBodyVariablesType0ItemType",
    "UpdateUserBody",
    "UpdateUserBodyRoleType1",
    "UpdateUserBodyRoleType2Type1",
    "UpdateUserBodyRoleType3Type1",
    "UpdateWebhookEndpointBody",
    "UsageResponse200",
    "UsageResponse200CredentialsItem",
    "User",
    "UserList",
    "UserRole",
    "UsersRole",
    "UsersSort",
    "ViewerResponse200",
    "ViewerResponse200CredentialKind",
    "WebhookDeliveriesStatus",
    "WebhookDelivery",
    "WebhookDeliveryAttemptsItem",
    "WebhookDeliveryAttemptsItemRequestHeadersItem",
    "WebhookDeliveryAttemptsItemResponseHeadersItem",
    "WebhookDeliveryList",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointList",
    "WebhookEndpointsSort",
)
