from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
    from ..models.update_automation_body_actions_type_0_item import (
        UpdateAutomationBodyActionsType0Item,
    )
    from ..models.update_automation_body_trigger_type_0 import UpdateAutomationBodyTriggerType0


T = TypeVar("T", bound="UpdateAutomationBody")


@_attrs_define
class UpdateAutomationBody:
    """
    Attributes:
        name (None | str | Unset):
        description (None | str | Unset):
        enabled (bool | None | Unset):
        trigger (None | Unset | UpdateAutomationBodyTriggerType0):
        actions (list[UpdateAutomationBodyActionsType0Item] | None | Unset):
    """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    enabled: bool | None | Unset = UNSET
    trigger: None | Unset | UpdateAutomationBodyTriggerType0 = UNSET
    actions: list[UpdateAutomationBodyActionsType0Item] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_automation_body_actions_type_0_item import (
            UpdateAutomationBodyActionsType0Item,
        )  # noqa: PLC0415
        from ..models.update_automation_body_trigger_type_0 import UpdateAutomationBodyTriggerType0  # noqa: PLC0415

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

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

        trigger: dict[str, Any] | None | Unset
        if isinstance(self.trigger, Unset):
            trigger = UNSET
        elif isinstance(self.trigger, UpdateAutomationBodyTriggerType0):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger

        actions: list[dict[str, Any]] | None | Unset
        if isinstance(self.actions, Unset):
            actions = UNSET
        elif isinstance(self.actions, list):
            actions = []
            for actions_type_0_item_data in self.actions:
                actions_type_0_item = actions_type_0_item_data.to_dict()
                actions.append(actions_type_0_item)

        else:
            actions = self.actions

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
        if actions is not UNSET:
            field_dict["actions"] = actions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_automation_body_actions_type_0_item import (
            UpdateAutomationBodyActionsType0Item,
        )  # noqa: PLC0415
        from ..models.update_automation_body_trigger_type_0 import UpdateAutomationBodyTriggerType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

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

        def _parse_trigger(data: object) -> None | Unset | UpdateAutomationBodyTriggerType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_0 = UpdateAutomationBodyTriggerType0.from_dict(data)

                return trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdateAutomationBodyTriggerType0, data)

        trigger = _parse_trigger(d.pop("trigger", UNSET))

        def _parse_actions(
            data: object,
        ) -> list[UpdateAutomationBodyActionsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                actions_type_0 = []
                _actions_type_0 = data
                for actions_type_0_item_data in _actions_type_0:
                    actions_type_0_item = UpdateAutomationBodyActionsType0Item.from_dict(
                        actions_type_0_item_data
                    )

                    actions_type_0.append(actions_type_0_item)

                return actions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UpdateAutomationBodyActionsType0Item] | None | Unset, data)

        actions = _parse_actions(d.pop("actions", UNSET))

        update_automation_body = cls(
            name=name,
            description=description,
            enabled=enabled,
            trigger=trigger,
            actions=actions,
        )

        return update_automation_body
