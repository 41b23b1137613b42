from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_kind import JobKind
from ..models.job_status import JobStatus
from typing import cast
import datetime


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """A generation or render job: `queued` → `running` → `succeeded` | `failed`; queued or running jobs can be
    `cancelled`.

        Attributes:
            id (str):
            project_id (str):
            kind (JobKind):
            status (JobStatus):
            input_ (Any): Free-form instructions for the render farm.
            template_id (None | str):
            variables (Any): The job's variables merged over the template's defaults.
            resolved_style (Any): The template's style with every placeholder filled in, as submitted.
            progress (int): 0-100; never decreases.
            progress_message (None | str): From the latest report.
            output_asset_id (None | str):
            automation_run_id (None | str): The automation run whose render action submitted the job.
            error (None | str): Why the job failed.
            claimed_by (None | str): Id of the claiming key.
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
            metadata (Any):
            version (int): Grows by one with every change.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
    """

    id: str
    project_id: str
    kind: JobKind
    status: JobStatus
    input_: Any
    template_id: None | str
    variables: Any
    resolved_style: Any
    progress: int
    progress_message: None | str
    output_asset_id: None | str
    automation_run_id: None | str
    error: None | str
    claimed_by: None | str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    metadata: Any
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        kind = self.kind.value

        status = self.status.value

        input_ = self.input_

        template_id: None | str
        template_id = self.template_id

        variables = self.variables

        resolved_style = self.resolved_style

        progress = self.progress

        progress_message: None | str
        progress_message = self.progress_message

        output_asset_id: None | str
        output_asset_id = self.output_asset_id

        automation_run_id: None | str
        automation_run_id = self.automation_run_id

        error: None | str
        error = self.error

        claimed_by: None | str
        claimed_by = self.claimed_by

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

        metadata = self.metadata

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "kind": kind,
                "status": status,
                "input": input_,
                "template_id": template_id,
                "variables": variables,
                "resolved_style": resolved_style,
                "progress": progress,
                "progress_message": progress_message,
                "output_asset_id": output_asset_id,
                "automation_run_id": automation_run_id,
                "error": error,
                "claimed_by": claimed_by,
                "started_at": started_at,
                "finished_at": finished_at,
                "metadata": metadata,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        kind = JobKind(d.pop("kind"))

        status = JobStatus(d.pop("status"))

        input_ = d.pop("input")

        def _parse_template_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        template_id = _parse_template_id(d.pop("template_id"))

        variables = d.pop("variables")

        resolved_style = d.pop("resolved_style")

        progress = d.pop("progress")

        def _parse_progress_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        progress_message = _parse_progress_message(d.pop("progress_message"))

        def _parse_output_asset_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        output_asset_id = _parse_output_asset_id(d.pop("output_asset_id"))

        def _parse_automation_run_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        automation_run_id = _parse_automation_run_id(d.pop("automation_run_id"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_claimed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        claimed_by = _parse_claimed_by(d.pop("claimed_by"))

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

        metadata = d.pop("metadata")

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        job = cls(
            id=id,
            project_id=project_id,
            kind=kind,
            status=status,
            input_=input_,
            template_id=template_id,
            variables=variables,
            resolved_style=resolved_style,
            progress=progress,
            progress_message=progress_message,
            output_asset_id=output_asset_id,
            automation_run_id=automation_run_id,
            error=error,
            claimed_by=claimed_by,
            started_at=started_at,
            finished_at=finished_at,
            metadata=metadata,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        job.additional_properties = d
        return job

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
