from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.create_automation_body_actions_item import CreateAutomationBodyActionsItem
    from ..models.create_automation_body_trigger import CreateAutomationBodyTrigger


T = TypeVar("T", bound="CreateAutomationBody")


@_attrs_define
class CreateAutomationBody:
    """
    Attributes:
        name (str):
        trigger (CreateAutomationBodyTrigger):
        actions (list[CreateAutomationBodyActionsItem]):
        description (None | str | Unset):
        enabled (bool | None | Unset):
    """

    name: str
    trigger: CreateAutomationBodyTrigger
    actions: list[CreateAutomationBodyActionsItem]
    description: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.create_automation_body_actions_item import CreateAutomationBodyActionsItem  # noqa: PLC0415
        from ..models.create_automation_body_trigger import CreateAutomationBodyTrigger  # noqa: PLC0415

        name = self.name

        trigger = self.trigger.to_dict()

        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.to_dict()
            actions.append(actions_item)

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "trigger": trigger,
                "actions": actions,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.create_automation_body_actions_item import CreateAutomationBodyActionsItem  # noqa: PLC0415
        from ..models.create_automation_body_trigger import CreateAutomationBodyTrigger  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        trigger = CreateAutomationBodyTrigger.from_dict(d.pop("trigger"))

        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = CreateAutomationBodyActionsItem.from_dict(actions_item_data)

            actions.append(actions_item)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        create_automation_body = cls(
            name=name,
            trigger=trigger,
            actions=actions,
            description=description,
            enabled=enabled,
        )

        return create_automation_body
