"""The kiosk's screens as a state machine: taps and worker results in, screen changes and jobs out (no pygame)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from kiosk import catalog
from kiosk.api import new_key
from kiosk.i18n import printer_text, priority_codes
from kiosk.worker import Msg

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_CODE_LENGTH = 16
SEARCH_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"  # what the search keyboard (and a USB keyboard) can type
MAX_QUERY_LENGTH = 30
DEBOUNCE_SECS = 0.4  # a second tap this soon after a screen change is the same finger, not a new choice
KEY_DEBOUNCE_SECS = 0.15
DONE_SCREEN_SECS = 15.0
PRINT_FAILED_SCREEN_SECS = 90.0  # long enough to photograph the number and its QR code
TOAST_SECS = 6.0


class Screen(StrEnum):
    HOME = "home"
    SERVICES = "services"
    PRIORITY = "priority"
    CONFIRM = "confirm"
    PRINTING = "printing"
    DONE = "done"
    PRINT_FAILED = "print_failed"
    UNAVAILABLE = "unavailable"
    REFUSED = "refused"
    CHECKIN = "checkin"
    SEARCH = "search"
    LOADING = "loading"


class Effects(Protocol):
    """What the flow asks of the outside world (worker threads in the app, recorders in tests)."""

    def issue(self, job: int, service: str, priority: str | None, key: str) -> None: ...
    def check_in(self, job: int, code: str, key: str) -> None: ...
    def reprint(self, ticket: dict[str, Any]) -> None: ...
    def reload(self) -> None: ...


@dataclass
class KioskState:
    """Everything the screens draw from."""

    lang: str = "id"
    screen: Screen = Screen.HOME
    services: list[dict[str, Any]] = field(default_factory=list)
    priorities: dict[str, dict[str, Any]] = field(default_factory=dict)  # GET /priorities by code (labels)
    loaded: bool = False
    online: bool = True
    agency: str | None = None
    service: str | None = None
    priority: str | None = None
    page: int = 0  # of the tiles on the current screen (agencies on home, services of one agency)
    home_page: int = 0  # the home page to return to from an agency's services
    query: str = ""  # what was typed on the search screen (Cari layanan)
    origin: Screen = Screen.SERVICES  # where a service was chosen: Kembali from the priority screen goes there
    busy: bool = False
    job: int = 0
    key: str | None = None
    retry: tuple[str, ...] | None = None  # what "Coba Lagi" repeats after a failed request (same key)
    ticket: dict[str, Any] | None = None
    printer_error: str | None = None
    message: str | None = None
    code: str = ""
    code_selected: bool = False  # after a refused code the next key press starts a new one (scanner)
    printer: str = "unknown"
    toast: tuple[str, dict[str, Any], float] | None = None

    @property
    def view(self) -> Screen:
        """The screen actually shown: home becomes loading or unavailable while there is nothing to offer."""
        if self.screen is Screen.HOME:
            if not self.loaded:
                return Screen.LOADING if self.online else Screen.UNAVAILABLE
            if not self.online:
                return Screen.UNAVAILABLE
        return self.screen


class Flow:
    """Applies taps, keys, timeouts and worker messages to a KioskState."""

    def __init__(self, effects: Effects, *, lang: str = "id", idle_seconds: float = 45.0,
                 shows: Callable[[str], bool] = lambda agency: True) -> None:
        self.effects, self.default_lang, self.idle_seconds, self.shows = effects, lang, idle_seconds, shows
        self.state = KioskState(lang=lang)
        self.last_input = self.screen_since = 0.0
        self._last_tap: tuple[Any, float] = (None, -1e9)

    # ------------------------------------------------------------------ input
    def tap(self, action: tuple[Any, ...], now: float) -> bool:
        """A touch on a button; returns whether it did something (debounced, ignored while busy)."""
        self.last_input = now
        last_action, last_at = self._last_tap
        keypad = action[0] == "key"
        too_soon = (now - last_at < KEY_DEBOUNCE_SECS and action == last_action) if keypad \
            else now - last_at < DEBOUNCE_SECS
        if self.state.busy or too_soon:
            return False
        self._last_tap = (action, now)
        handler = getattr(self, f"_on_{action[0]}", None)
        return bool(handler(now, *action[1:])) if handler else False

    def type_text(self, text: str, now: float) -> bool:
        """Keyboard or QR scanner characters: the check-in code, or the search words."""
        self.last_input = now
        s = self.state
        if s.screen is Screen.SEARCH and not s.busy:
            return any([self._type_query(ch) for ch in text])
        if s.screen is not Screen.CHECKIN or s.busy:
            return False
        if s.code_selected:
            s.code, s.code_selected, s.message = "", False, None
        s.code = (s.code + text)[-200:]  # a scanned URL may be long; the code is taken from its end on Enter
        return True

    def backspace(self, now: float) -> bool:
        """The keyboard's Backspace: like the Hapus button, without the touch debounce (a keyboard does not bounce)."""
        self.last_input = now
        return False if self.state.busy else self._on_del(now)

    def enter(self, now: float) -> bool:
        self.last_input = now
        return self._on_submit(now) if self.state.screen is Screen.CHECKIN and not self.state.busy else False

    # ------------------------------------------------------------------ time
    def tick(self, now: float) -> bool:
        """Idle timeout back to home (also the done and printer-failed screens); True when the screen changed."""
        s = self.state
        if s.toast and now >= s.toast[2]:
            s.toast = None
        if s.busy or (s.screen is Screen.HOME and s.page == 0 and s.lang == self.default_lang):
            return False
        limits = {Screen.DONE: min(self.idle_seconds, DONE_SCREEN_SECS),
                  Screen.PRINT_FAILED: max(self.idle_seconds, PRINT_FAILED_SCREEN_SECS)}
        limit = limits.get(s.screen, self.idle_seconds)
        if now - max(self.last_input, self.screen_since) < limit:
            return False
        self._home(now)
        s.lang = self.default_lang
        return True

    def recover(self, now: float) -> None:
        """After an unexpected error in a frame: the home screen (a ticket in flight still arrives)."""
        self._home(now)

    # ------------------------------------------------------------------ worker and socket messages
    def message(self, msg: Msg, now: float) -> None:
        handler = getattr(self, f"_msg_{msg.kind}", None)
        if handler is None:
            return
        if msg.job and msg.job != self.state.job:
            return  # a late answer to an earlier request
        handler(msg, now)

    def _msg_services(self, msg: Msg, now: float) -> None:
        if isinstance(msg.data, list):
            services = [x for x in msg.data if isinstance(x, dict) and self.shows(str(x.get("agency")))]
            self.state.services, self.state.loaded, self.state.online = services, True, True

    def _msg_priorities(self, msg: Msg, now: float) -> None:
        if isinstance(msg.data, list):
            self.state.priorities = {str(x["code"]): x for x in msg.data if isinstance(x, dict) and x.get("code")}

    def _msg_services_failed(self, msg: Msg, now: float) -> None:
        self.state.online = False

    def _msg_online(self, msg: Msg, now: float) -> None:
        self.state.online = bool(msg.data)

    def _msg_queue_changed(self, msg: Msg, now: float) -> None:
        catalog.apply_queue_change(self.state.services, msg.data)

    def _msg_issued(self, msg: Msg, now: float) -> None:
        if msg.job:
            self.state.ticket = msg.data

    def _msg_printed(self, msg: Msg, now: float) -> None:
        if msg.job:
            self._finish(Screen.DONE, now)

    def _msg_print_failed(self, msg: Msg, now: float) -> None:
        if msg.job:
            self.state.ticket, self.state.printer_error = msg.data["ticket"], msg.data["code"]
            self._finish(Screen.PRINT_FAILED, now)
        else:
            number = msg.data["ticket"].get("number", "")
            self._toast("reprint_failed", now, number=number, reason=printer_text(self.state.lang, msg.data["code"]))

    def _msg_unavailable(self, msg: Msg, now: float) -> None:
        self.state.online = False
        self._finish(Screen.UNAVAILABLE, now)
        self.state.ticket = None  # no number without a ticket from the server

    def _msg_refused(self, msg: Msg, now: float) -> None:
        self.state.message, self.state.retry = str(msg.data), None
        self._finish(Screen.REFUSED, now)
        self.effects.reload()  # the board was stale (e.g. the quota ran out meanwhile)

    def _msg_checkin_refused(self, msg: Msg, now: float) -> None:
        self.state.message, self.state.retry, self.state.code_selected = str(msg.data), None, True
        self._finish(Screen.CHECKIN, now)

    def _msg_reprint(self, msg: Msg, now: float) -> None:
        if isinstance(msg.data, dict) and msg.data.get("token"):
            self.effects.reprint(msg.data)

    def _msg_reprinting(self, msg: Msg, now: float) -> None:
        self._toast("reprinting", now, number=msg.data.get("number", ""))

    def _msg_printer(self, msg: Msg, now: float) -> None:
        self.state.printer = str(msg.data)

    # ------------------------------------------------------------------ actions (button ids)
    def _on_lang(self, now: float) -> bool:
        self.state.lang = "en" if self.state.lang == "id" else "id"
        return True

    def _on_home(self, now: float) -> bool:
        self._home(now)
        return True

    def _on_page(self, now: float, page: int) -> bool:
        self.state.page = max(0, page)
        return True

    def _on_agency(self, now: float, code: str) -> bool:
        self.state.agency, self.state.home_page, self.state.page = code, self.state.page, 0
        return self._go(Screen.SERVICES, now)

    def _on_service(self, now: float, code: str) -> bool:
        service = catalog.find(self.state.services, code)
        if service is None or catalog.service_state(service) != catalog.OPEN:
            return False
        s = self.state
        s.origin = Screen.SEARCH if s.screen is Screen.SEARCH else Screen.SERVICES
        s.service, s.agency = code, str(service.get("agency") or s.agency or "")
        return self._go(Screen.PRIORITY, now)

    def _on_search(self, now: float) -> bool:
        """Cari layanan: find a service by name across every agency."""
        s = self.state
        s.query, s.home_page, s.page = "", s.page, 0
        return self._go(Screen.SEARCH, now)

    def _type_query(self, char: str) -> bool:
        s = self.state
        char = " " if char.isspace() else char.upper()
        if char == " " and (not s.query or s.query.endswith(" ")):
            return False  # no leading or double spaces: they would only hide the results
        if (char != " " and char not in SEARCH_CHARS) or len(s.query) >= MAX_QUERY_LENGTH:
            return False
        s.query, s.page = s.query + char, 0
        return True

    def _on_space(self, now: float) -> bool:
        return self.state.screen is Screen.SEARCH and self._type_query(" ")

    def _on_clear(self, now: float) -> bool:
        s = self.state
        if s.screen is not Screen.SEARCH or not s.query:
            return False
        s.query, s.page = "", 0
        return True

    def _on_priority(self, now: float, priority: str | None) -> bool:
        if priority is not None and priority not in priority_codes(self.state.priorities):
            return False
        self.state.priority, self.state.key = priority, new_key()  # a new intention: a new Idempotency-Key
        return self._go(Screen.CONFIRM, now)

    def _on_confirm(self, now: float) -> bool:
        s = self.state
        if s.screen is not Screen.CONFIRM or s.service is None:
            return False
        s.retry = ("issue", s.service, s.priority, s.key or new_key())
        return self._submit(now)

    def _on_retry(self, now: float) -> bool:
        if self.state.retry is None:
            self.effects.reload()
            return self._home(now)
        return self._submit(now)

    def _on_back(self, now: float) -> bool:
        s = self.state
        chosen_from = s.origin if s.agency or s.origin is Screen.SEARCH else Screen.HOME
        back = {Screen.SERVICES: Screen.HOME, Screen.SEARCH: Screen.HOME, Screen.PRIORITY: s.origin,
                Screen.CONFIRM: Screen.PRIORITY, Screen.REFUSED: chosen_from}
        target = back.get(s.screen, Screen.HOME)
        if target is not Screen.HOME:
            return self._go(target, now)
        page = s.home_page if s.screen in (Screen.SERVICES, Screen.SEARCH) else 0
        self._home(now)
        self.state.page = page
        return True

    def _on_checkin(self, now: float) -> bool:
        self.state.code, self.state.message, self.state.code_selected = "", None, False
        return self._go(Screen.CHECKIN, now)

    def _on_key(self, now: float, char: str) -> bool:
        if self.state.screen is Screen.SEARCH:
            return self._type_query(char)
        return self.type_text(char, now) if char in CODE_ALPHABET else False

    def _on_del(self, now: float) -> bool:
        s = self.state
        if s.screen is Screen.SEARCH:
            s.query, s.page = s.query[:-1], 0
            return True
        if s.screen is not Screen.CHECKIN:
            return False
        s.code = "" if s.code_selected else s.code[:-1]
        s.code_selected, s.message = False, None
        return True

    def _on_submit(self, now: float) -> bool:
        code = booking_code(self.state.code)
        if not code:
            return False
        self.state.code = code
        self.state.retry = ("check_in", code, new_key())
        return self._submit(now)

    # ------------------------------------------------------------------ helpers
    def _submit(self, now: float) -> bool:
        s = self.state
        assert s.retry is not None
        s.busy, s.ticket, s.printer_error, s.message = True, None, None, None
        s.job += 1
        self._go(Screen.PRINTING, now)
        if s.retry[0] == "issue":
            _, service, priority, key = s.retry
            self.effects.issue(s.job, service, priority, key)
        else:
            _, code, key = s.retry
            self.effects.check_in(s.job, code, key)
        return True

    def _finish(self, screen: Screen, now: float) -> None:
        self.state.busy = False
        self._go(screen, now)

    def _go(self, screen: Screen, now: float) -> bool:
        self.state.screen, self.screen_since = screen, now
        return True

    def _home(self, now: float) -> bool:
        s = self.state
        s.agency = s.service = s.priority = s.key = s.retry = s.ticket = s.printer_error = s.message = None
        s.page, s.home_page, s.code, s.code_selected, s.query, s.origin = 0, 0, "", False, "", Screen.SERVICES
        return self._go(Screen.HOME, now)

    def _toast(self, key: str, now: float, **values: Any) -> None:
        self.state.toast = (key, values, now + TOAST_SECS)


def booking_code(typed: str) -> str:
    """The booking code in what was typed or scanned: a bare code, or the last part of a scanned URL."""
    text = typed.strip()
    for separator in ("/", "=", "#"):
        text = text.rstrip(separator).rsplit(separator, 1)[-1]
    code = "".join(ch for ch in text.upper() if ch in CODE_ALPHABET)
    return code[:MAX_CODE_LENGTH]
