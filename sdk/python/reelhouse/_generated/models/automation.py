from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
    from ..models.automation_actions_item import AutomationActionsItem
    from ..models.automation_trigger import AutomationTrigger


T = TypeVar("T", bound="Automation")


@_attrs_define
class Automation:
    """A trigger and the actions it runs, in a project.

    Attributes:
        id (str):
        project_id (str):
        name (str):
        description (str):
        enabled (bool): A disabled automation never runs.
        owner_key_id (None | str): The API key (or OAuth client) that last saved it; actions run with its current
            permissions (and, for a user's token, that user's).
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        trigger (AutomationTrigger): What starts the automation.
        actions (list[AutomationActionsItem]): The actions, run in this order.
    """

    id: str
    project_id: str
    name: str
    description: str
    enabled: bool
    owner_key_id: None | str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    trigger: AutomationTrigger
    actions: list[AutomationActionsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.automation_actions_item import AutomationActionsItem  # noqa: PLC0415
        from ..models.automation_trigger import AutomationTrigger  # noqa: PLC0415

        id = self.id

        project_id = self.project_id

        name = self.name

        description = self.description

        enabled = self.enabled

        owner_key_id: None | str
        owner_key_id = self.owner_key_id

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        trigger = self.trigger.to_dict()

        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "project_id": project_id,
                "name": name,
                "description": description,
                "enabled": enabled,
                "owner_key_id": owner_key_id,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
                "trigger": trigger,
                "actions": actions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.automation_actions_item import AutomationActionsItem  # noqa: PLC0415
        from ..models.automation_trigger import AutomationTrigger  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        name = d.pop("name")

        description = d.pop("description")

        enabled = d.pop("enabled")

        def _parse_owner_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_key_id = _parse_owner_key_id(d.pop("owner_key_id"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        trigger = AutomationTrigger.from_dict(d.pop("trigger"))

        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = AutomationActionsItem.from_dict(actions_item_data)

            actions.append(actions_item)

        automation = cls(
            id=id,
            project_id=project_id,
            name=name,
            description=description,
            enabled=enabled,
            owner_key_id=owner_key_id,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
            trigger=trigger,
            actions=actions,
        )

        automation.additional_properties = d
        return automation

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
