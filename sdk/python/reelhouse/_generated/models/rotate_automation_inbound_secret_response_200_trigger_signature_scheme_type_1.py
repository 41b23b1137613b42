from enum import StrEnum


class RotateAutomationInboundSecretResponse200TriggerSignatureSchemeType1(StrEnum):
    HMAC_SHA256 = "hmac_sha256"
    STANDARD_WEBHOOKS = "standard_webhooks"

    def __str__(self) -> str:
        return str(self.value)
