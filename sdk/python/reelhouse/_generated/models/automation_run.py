from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.automation_run_status import AutomationRunStatus
from ..models.automation_run_trigger_type import AutomationRunTriggerType
from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.automation_run_steps_item import AutomationRunStepsItem


T = TypeVar("T", bound="AutomationRun")


@_attrs_define
class AutomationRun:
    """One execution of an automation.

    Attributes:
        id (str):
        automation_id (str):
        project_id (str):
        trigger_type (AutomationRunTriggerType):
        trigger (Any): The run's input: what started it.
        status (AutomationRunStatus):
        error (None | str): Why the run failed.
        scheduled_for (datetime.datetime | None): `schedule`: the cron tick.
        chain_depth (int): 0, or one more than the run that rendered the asset whose readiness started this run;
            readiness starts no run deeper than 5.
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        steps (list[AutomationRunStepsItem]): Each action's outcome, in order.
        output (Any): The outputs of the actions, in order.
        duration_ms (int | None): Milliseconds from start to finish; null until it finishes.
    """

    id: str
    automation_id: str
    project_id: str
    trigger_type: AutomationRunTriggerType
    trigger: Any
    status: AutomationRunStatus
    error: None | str
    scheduled_for: datetime.datetime | None
    chain_depth: int
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    steps: list[AutomationRunStepsItem]
    output: Any
    duration_ms: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.automation_run_steps_item import AutomationRunStepsItem  # noqa: PLC0415

        id = self.id

        automation_id = self.automation_id

        project_id = self.project_id

        trigger_type = self.trigger_type.value

        trigger = self.trigger

        status = self.status.value

        error: None | str
        error = self.error

        scheduled_for: None | str
        if isinstance(self.scheduled_for, datetime.datetime):
            scheduled_for = self.scheduled_for.isoformat()
        else:
            scheduled_for = self.scheduled_for

        chain_depth = self.chain_depth

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

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        output = self.output

        duration_ms: int | None
        duration_ms = self.duration_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "automation_id": automation_id,
                "project_id": project_id,
                "trigger_type": trigger_type,
                "trigger": trigger,
                "status": status,
                "error": error,
                "scheduled_for": scheduled_for,
                "chain_depth": chain_depth,
                "started_at": started_at,
                "finished_at": finished_at,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "steps": steps,
                "output": output,
                "duration_ms": duration_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.automation_run_steps_item import AutomationRunStepsItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        automation_id = d.pop("automation_id")

        project_id = d.pop("project_id")

        trigger_type = AutomationRunTriggerType(d.pop("trigger_type"))

        trigger = d.pop("trigger")

        status = AutomationRunStatus(d.pop("status"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_scheduled_for(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_for_type_0 = datetime.datetime.fromisoformat(data)

                return scheduled_for_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        scheduled_for = _parse_scheduled_for(d.pop("scheduled_for"))

        chain_depth = d.pop("chain_depth")

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

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = AutomationRunStepsItem.from_dict(steps_item_data)

            steps.append(steps_item)

        output = d.pop("output")

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        automation_run = cls(
            id=id,
            automation_id=automation_id,
            project_id=project_id,
            trigger_type=trigger_type,
            trigger=trigger,
            status=status,
            error=error,
            scheduled_for=scheduled_for,
            chain_depth=chain_depth,
            started_at=started_at,
            finished_at=finished_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            steps=steps,
            output=output,
            duration_ms=duration_ms,
        )

        automation_run.additional_properties = d
        return automation_run

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
