from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.automation_run_steps_item_type import AutomationRunStepsItemType
from typing import cast
import datetime


T = TypeVar("T", bound="AutomationRunStepsItem")


@_attrs_define
class AutomationRunStepsItem:
    """What one action did in a run.

    Attributes:
        index (int):
        type_ (AutomationRunStepsItemType):
        status (str): pending, running, waiting, succeeded or failed.
        attempts (int):
        output (Any): `render`: `{jobId, status, outputAssetId}`; `webhook`: `{statusCode, body}`.
        error (None | str):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
    """

    index: int
    type_: AutomationRunStepsItemType
    status: str
    attempts: int
    output: Any
    error: None | str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        type_ = self.type_.value

        status = self.status

        attempts = self.attempts

        output = self.output

        error: None | str
        error = self.error

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "type": type_,
                "status": status,
                "attempts": attempts,
                "output": output,
                "error": error,
                "started_at": started_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        type_ = AutomationRunStepsItemType(d.pop("type"))

        status = d.pop("status")

        attempts = d.pop("attempts")

        output = d.pop("output")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        automation_run_steps_item = cls(
            index=index,
            type_=type_,
            status=status,
            attempts=attempts,
            output=output,
            error=error,
            started_at=started_at,
            finished_at=finished_at,
        )

        automation_run_steps_item.additional_properties = d
        return automation_run_steps_item

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
