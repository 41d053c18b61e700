"""Account administration endpoints: users (list, create, change, disable, enable, set a password), the caller's own
password, and devices (list, register, revoke). Who may touch what is decided by the use cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g

from ..services import admin_accounts
from .answers import Ok, reply
from .answers_office import Device, NewDeviceAnswer, User
from .inputs import json_body, require
from .inputs import service_context as _ctx
from .schemas import NewDevice, NewPassword, NewUser, OwnPassword, UserChange, parse

bp = Blueprint("admin_accounts", __name__)



# ------------------------------------------------------------------ users
@bp.get("/users")
@require("supervisor")
def list_users() -> Any:
    return reply(list[User], [u.to_dict() for u in admin_accounts.list_users(_ctx(), g.principal)])


@bp.post("/users")
@require("supervisor")
def create_user() -> Any:
    body = parse(NewUser)
    view = admin_accounts.create_user(_ctx(), g.principal, body.username, body.role, body.password,
                                      body.counters or (), body.agencies or ())
    return reply(User, view.to_dict(), 201)


@bp.patch("/users/<int:user_id>")
@require("supervisor")
def update_user(user_id: int) -> Any:
    body = parse(UserChange)
    view = admin_accounts.update_user(_ctx(), g.principal, user_id, role=body.role, counters=body.counters,
                                      agencies=body.agencies)
    return reply(User, view.to_dict())


@bp.post("/users/<int:user_id>/disable")
@require("supervisor")
def disable_user(user_id: int) -> Any:
    json_body()
    admin_accounts.disable_user(_ctx(), g.principal, user_id)
    return reply(Ok, {"status": "ok"})


@bp.post("/users/<int:user_id>/enable")
@require("supervisor")
def enable_user(user_id: int) -> Any:
    json_body()
    admin_accounts.enable_user(_ctx(), g.principal, user_id)
    return reply(Ok, {"status": "ok"})


@bp.post("/users/<int:user_id>/password")
@require("supervisor")
def set_password(user_id: int) -> Any:
    admin_accounts.set_password(_ctx(), g.principal, user_id, parse(NewPassword).password)
    return reply(Ok, {"status": "ok"})


@bp.post("/me/password")
@require("clerk", "supervisor")
def change_own_password() -> Any:
    body = parse(OwnPassword)
    admin_accounts.change_own_password(_ctx(), g.principal, body.old_password, body.new_password)
    return reply(Ok, {"status": "ok"})


# ------------------------------------------------------------------ devices
@bp.get("/devices")
@require("supervisor")
def list_devices() -> Any:
    return reply(list[Device], [d.to_dict() for d in admin_accounts.list_devices(_ctx(), g.principal)])


@bp.post("/devices")
@require("supervisor")
def create_device() -> Any:
    body = parse(NewDevice)
    view, token = admin_accounts.create_device(_ctx(), g.principal, body.name, body.kind, body.counter)
    return reply(NewDeviceAnswer, view.to_dict() | {"token": token}, 201)


@bp.delete("/devices/<int:device_id>")
@require("supervisor")
def revoke_device(device_id: int) -> Any:
    admin_accounts.revoke_device(_ctx(), g.principal, device_id)
    return reply(Ok, {"status": "ok"})
