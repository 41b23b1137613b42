from enum import StrEnum


class RateLimitResponse200ReadResource(StrEnum):
    READ = "read"
    WRITE = "write"

    def __str__(self) -> str:
        return str(self.value)
