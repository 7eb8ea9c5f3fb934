"""The running app: owns the loop-bound resources and switches sessions.

Built by ``app.main`` with the QApplication, the launch request and the
single-instance server; ``run()`` is the one coroutine the qasync loop runs.
The window is put together by ``qt/window_assembly.py`` and ``qt/tray_assembly.py``;
what its menus ask of a session comes back here as this runtime's methods.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import httpx
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from agentapp import __version__
from agentapp.api.client import make_http_client
from agentapp.cli import LaunchRequest, take_env_relay, take_env_token
from agentapp.composition import (
    SYSTEM_CLOCK,
    RelayAccess,
    SessionClock,
    SessionServices,
    build_session,
    register_events,
    relay_access,
)
from agentapp.demo import DemoSandbox
from agentapp.logging_setup import configure_logging, install_excepthook
from agentapp.paths import log_dir
from agentapp.qt import main_thread_gc
from agentapp.qt.autostart_sync import AutostartSync, QtRunKey
from agentapp.qt.quit_guard import QuitFlow
from agentapp.qt.session_facades import SessionFacades
from agentapp.qt.sign_in_flow import SignInFlow
from agentapp.qt.tray_assembly import install_presence, install_tray
from agentapp.qt.window_assembly import (
    build_main_window,
    follow_launch,
    install_help,
    install_settings_flow,
    raise_window,
    wire_audio,
    wire_facades,
)
from agentapp.qt.window_presence import WindowPresence
from agentapp.secrets import AsyncSecrets, AsyncSecretStore, SecretStore
from agentapp.services import autostart
from agentapp.services.connectivity import ConnState, Health
from agentapp.settings import (
    AGENT_DID,
    AGENT_EXTENSION,
    API_BASE_URL,
    APP_FIRST_CHOICE_MADE,
    POP_CRM_URL_TEMPLATE,
    UI_GEOMETRY,
    UI_THEME,
    Settings,
)
from agentapp.single_instance import SingleInstance
from agentapp.startup import DEMO_DID, DEMO_EXTENSION, StartPlan, StoredAccount, resolve_start
from agentapp.ui.error_dialog import ErrorPresenter
from agentapp.ui.main_window import MainWindow
from agentapp.ui.starting_shell import StartingShell
from agentapp.ui.theme import apply_theme

if TYPE_CHECKING:
    from agentapp.qt.audio_facade import AudioTools

log = logging.getLogger(__name__)


class AppRuntime:
    def __init__(self, app: QApplication, launch: LaunchRequest, single: SingleInstance, *,
                 secrets: AsyncSecrets | None = None, install_hooks: bool = True,
                 env_token: str | None = None,
                 env_relay: tuple[str, str] | None = None,
                 clock: SessionClock = SYSTEM_CLOCK, shell: StartingShell | None = None) -> None:
        self._app = app
        main_thread_gc.install(app)  # no Qt object may be destroyed on a worker thread
        self._shell = shell  # shown by app.main before this module was imported
        self._clock = clock  # every session reads the time here (tests pin it)
        self._launch = launch
        self._single = single
        self._install_hooks = install_hooks
        # From AGENTAPP_TOKEN, already removed from the environment (cli.take_env_token).
        self._env_token = env_token if env_token is not None else take_env_token()
        # Relay NATS credentials and signing secret, likewise (cli.take_env_relay).
        self._env_relay = env_relay if env_relay is not None else take_env_relay()
        self._settings = Settings.for_profile(launch.profile)
        self._secrets = secrets or AsyncSecretStore(SecretStore())
        self._demo = DemoSandbox(launch.sandbox_port)
        self._quit = asyncio.Event()
        self._http: httpx.AsyncClient | None = None
        self._services: SessionServices | None = None
        self.started = asyncio.Event()
        self._plan: StartPlan | None = None
        self._token = ""
        self._switch_lock = asyncio.Lock()
        self._facades = facades = SessionFacades(
            crm_template=lambda: self._settings.get(POP_CRM_URL_TEMPLATE), now=clock.zoned_now)
        self.dial, self.calls, self.status = facades.dial, facades.calls, facades.status
        self.status_panel, self.pops = facades.status_panel, facades.pops
        self.history, self.recent = facades.history, facades.recent
        self.dispositions = facades.dispositions
        self._quit_flow: QuitFlow | None = None  # built with the window
        self.window: MainWindow | None = None
        self.signal_timer: QTimer | None = None  # see app._quit_on_signals
        self.sign_in: SignInFlow | None = None
        self._asked_sign_in = False
        self._pending_saves: set[asyncio.Task[None]] = set()
        self.presence: WindowPresence | None = None
        self.autostart = AutostartSync(
            self._settings, lambda: autostart.for_platform(launch.profile, run_key=QtRunKey),
            report=lambda text: self.window.show_notice(text) if self.window else None)
        self._audio: AudioTools | None = None

    # -- start -----------------------------------------------------------------
    def _build_ui(self, dark: bool) -> MainWindow:
        """The window and its parts (qt/window_assembly.py, qt/tray_assembly.py); the
        flows that act on sessions get this runtime's methods."""
        facades, settings, profile = self._facades, self._settings, self._launch.profile
        window = build_main_window(settings, dark)
        self._binding = wire_facades(window, facades)
        self._binding.line_change_requested.connect(self._line_change)
        facades.status.health_changed.connect(self._ask_sign_in_when_refused)
        self.sign_in = SignInFlow(http=self._require_http, secrets=self._secrets,
                                  settings=settings, profile=profile,
                                  use_account=self._use_account, use_demo=self._use_demo,
                                  parent_window=window)
        window.sign_in_requested.connect(self._open_sign_in)
        window.sign_out_requested.connect(self._sign_out)
        self.settings_flow = install_settings_flow(
            window, settings, self._secrets, profile,
            apply_theme=lambda theme: apply_theme(self._app, theme),
            services=lambda: self._services, restart=self.restart_session,
            register_webhook=self.register_webhook, change_line=self.change_line,
            plan_kind=lambda: self._plan.kind if self._plan and self._services else "",
            live_calls=self._live_calls, sign_in=self._open_sign_in, sign_out=self._sign_out)
        wire_audio(window, facades.history, lambda: self.audio)
        self.help = install_help(window, profile)
        self._single.message_received.connect(self.handle_launch_message)
        tray = install_tray(window, self._binding, facades, settings, dark,
                            audio_check=lambda: self.audio.open_check(), sign_out=self._sign_out)
        parts = install_presence(window, tray, facades, settings, quit_now=self._quit.set,
                                 live_calls=self._live_calls,
                                 save_settings=self._save_settings_soon)
        self.presence, self._quit_flow = parts.presence, parts.quit_flow
        self.pause_pops_action = parts.pause_pops_action
        return window

    @property
    def audio(self) -> AudioTools:
        """The audio check and recording player, built (numpy, PortAudio) at first use."""
        if self._audio is None:
            from agentapp.qt.audio_facade import AudioTools

            self._audio = AudioTools(self._settings, self._launch.profile, parent=self.window,
                                     download=lambda: self._services.client.download_recording
                                     if self._services is not None else None)
        return self._audio

    def _open_sign_in(self) -> object:
        return self.sign_in and self.sign_in.open()

    def _sign_out(self) -> object:
        return self.sign_in and self.sign_in.sign_out()

    def _live_calls(self) -> int:
        return len(self._services.tracker.live_calls()) if self._services else 0

    def _save_settings_soon(self) -> None:
        """Off the UI thread's critical path: the file is written by the loop."""
        task = asyncio.get_running_loop().create_task(self._settings.asave())
        self._pending_saves.add(task)
        task.add_done_callback(self._pending_saves.discard)

    def _require_http(self) -> httpx.AsyncClient:
        assert self._http is not None, "http client is created in run()"
        return self._http

    def _current_secrets(self) -> list[str]:
        return [self._token] if self._token else []

    async def run(self) -> int:
        if self._install_hooks:  # tests keep pytest's own hooks and log capture
            redactor = configure_logging(log_dir(), secrets=self._current_secrets)
            install_excepthook(ErrorPresenter().show, redactor=redactor)
        await self._settings.aload()  # after logging: a damaged file is logged, not lost
        self.autostart.schedule()  # self-healing: the entry follows the setting at every start
        damage = self._settings.damage.message() if self._settings.damage else ""
        dark = apply_theme(self._app, self._settings.get(UI_THEME))
        self.window = self._build_ui(dark)
        self.window.show_notice(damage)
        if self._shell is not None:
            self._shell.hand_over(self.window, keep_geometry=bool(self._settings.get(UI_GEOMETRY)))
            self._shell = None
        if not (self._launch.minimized and self.presence and self.presence.tray):
            self.window.show()  # else started at login: waiting in the tray
        self._app.aboutToQuit.connect(self._quit.set)
        try:
            # Building the client loads the TLS trust store (~0.3 s): off the UI thread,
            # while the window paints. It binds to this loop at its first request.
            self._http = await asyncio.get_running_loop().run_in_executor(
                None, make_http_client, __version__)
            plan = await self._initial_plan()
            started = await self.switch(plan)
            if plan.kind == "sign_in" or plan.first_run or not started:
                assert self.sign_in is not None
                if not self.window.isVisible():  # the agent has something to do
                    raise_window(self.window)
                self.sign_in.open(plan.reason or damage, plan.base_url or None)
            self.started.set()
            if self._launch.target:
                self.handle_launch_message({"target": self._launch.target,
                                            "dial": self._launch.dial})
            await self._quit.wait()
        finally:
            await self._shutdown()
        return 0

    async def _initial_plan(self) -> StartPlan:
        stored = StoredAccount(self._settings.get(API_BASE_URL),
                               self._settings.get(AGENT_EXTENSION), self._settings.get(AGENT_DID),
                               self._settings.get(APP_FIRST_CHOICE_MADE))
        env_token = self._env_token
        keyring_token = None
        if not env_token and not self._launch.sandbox:
            try:
                keyring_token = await self._secrets.get_token(self._launch.profile)
            except Exception as exc:  # a locked/absent keyring must not stop the app
                log.warning("no usable OS keyring (%s): starting without a stored account",
                            type(exc).__name__)
        return resolve_start(self._launch, stored, keyring_token, env_token)

    @property
    def services(self) -> SessionServices | None:
        return self._services

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def http(self) -> httpx.AsyncClient | None:
        """The one shared AsyncClient: created by ``run()``, closed when it returns."""
        return self._http

    async def restart_session(self) -> bool:
        """Rebuild the current session, e.g. after settings it reads at start changed."""
        return await self.switch(self._plan) if self._plan is not None else False

    async def register_webhook(self) -> str:
        """Register the team relay, or else this app's own receiver (on request)."""
        if self._services is None:
            return "Sign in first: there is no account to register with."
        return await register_events(self._services, self._settings,
                                     await self._relay_access())

    async def _relay_access(self) -> RelayAccess | None:
        return await relay_access(self._launch, self._settings, self._env_relay, self._secrets)

    def quit(self) -> None:
        self._quit.set()

    def request_quit(self) -> None:
        """Quit, but first ask when something would be lost (qt/quit_guard.py)."""
        if self._quit_flow is None:
            self._quit.set()
        else:
            self._quit_flow.request()

    # -- sessions --------------------------------------------------------------
    async def switch(self, plan: StartPlan) -> bool:
        """Replace the current session by ``plan``'s; False (and no session) on failure."""
        async with self._switch_lock:
            await self._close_session()
            if plan.kind == "sign_in":
                return False
            if plan.kind == "demo":
                plan = StartPlan("demo", await self._demo.ensure_started(), plan.ext_no,
                                 plan.did, self._demo.token)
            self._token = plan.token if plan.kind == "account" else ""
            try:
                services = await build_session(plan, self._require_http(), self._settings,
                                               register_webhook=self._launch.register_webhook,
                                               profile=self._launch.profile,
                                               relay=await self._relay_access(),
                                               clock=self._clock)
            except Exception:
                log.exception("could not start the session")
                return False
            self._services = services
            self._plan = plan
            self._facades.bind(services)
            self._asked_sign_in = False
            self._binding.set_session(services.session, signed_in=plan.kind == "account")
            if self.presence is not None:
                self.presence.set_signed_in(True)
            log.info("session started: %s ext %s", "sandbox" if services.session.is_sandbox
                     else "account", plan.ext_no)
            return True

    async def _close_session(self) -> None:
        if self.presence is not None:
            self.presence.set_signed_in(False)
        await self._facades.unbind()
        services, self._services = self._services, None
        if services is not None:
            await services.close()

    async def _use_account(self, base_url: str, ext_no: str, did: str, token: str) -> bool:
        return await self.switch(StartPlan("account", base_url, ext_no, did, token))

    async def _use_demo(self) -> bool:
        return await self.switch(StartPlan("demo", ext_no=DEMO_EXTENSION, did=DEMO_DID))

    # -- the strip: picking my line, a token refused mid-session -------------------
    def _line_change(self, ext_no: str, did: str) -> None:
        asyncio.get_running_loop().create_task(self.change_line(ext_no, did))

    async def change_line(self, ext_no: str = "", did: str = "") -> str:
        """Use another extension and/or caller ID; remembered for this profile (signed in).

        A new caller ID applies to the running session at once; a new extension
        rebuilds the session (its recent calls and events are per extension),
        which waits until no call is live. Returns what went wrong, or "".
        """
        services, plan = self._services, self._plan
        if services is None or plan is None:
            return "Sign in first."
        ext_no = ext_no.strip() or services.session.ext_no
        did = did.strip() or services.session.did
        if plan.kind == "account":
            self._settings.set(AGENT_EXTENSION, ext_no)
            self._settings.set(AGENT_DID, did)
            await self._settings.asave()
        if ext_no == services.session.ext_no:
            services.session = replace(services.session, did=did)
            self._plan = replace(plan, did=did)
            self._binding.update_line(services.session)
            log.info("caller ID changed for this session")
            return ""
        if services.tracker.live_calls():
            message = "Finish the live call first: the extension changes after it."
            if self.window is not None:
                self.window.dial.show_message(message)
            return message
        await self.switch(replace(plan, ext_no=ext_no, did=did))
        return ""

    def _ask_sign_in_when_refused(self, health: Health) -> None:
        """A 401 mid-session: ask once to sign in again. Nothing typed is lost: the
        session stays until a new sign-in replaces it, and the window is untouched."""
        if health.state is not ConnState.SIGNED_OUT or self._asked_sign_in:
            return
        self._asked_sign_in = True
        if self.sign_in is not None and (self._plan is None or self._plan.kind == "account"):
            self.sign_in.open("IVR Solutions no longer accepts this app's token (revoked or "
                              "expired). Sign in again; your typed number is kept.",
                              self._plan.base_url if self._plan else None)

    # -- launches forwarded from a second process --------------------------------
    def handle_launch_message(self, message: dict[str, Any]) -> None:
        """A ``tel:`` link or number from argv: prefill (default) or dial at once."""
        if self.window is not None:
            follow_launch(self.window, self._binding, self._settings, message)

    async def _shutdown(self) -> None:
        if self.window is not None:
            self._settings.set(UI_GEOMETRY, bytes(self.window.saveGeometry().data()))
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            # Qt stopped the loop under us (the X or Wayland connection was lost): nothing
            # async can run any more. Keep the settings; drafts and the outbox are already
            # on disk, and the next start resumes them.
            self._settings.save()
            log.warning("the display connection was lost: quitting without the usual "
                        "shutdown (nothing is lost; unsent items go at the next start)")
            return
        if self.window is not None:
            await self._settings.asave()
        await self.autostart.drain()
        if self._audio is not None:
            await self._audio.aclose()
        await self._close_session()
        await self._demo.stop()
        if self._http is not None:
            await self._http.aclose()
        if self.window is not None:
            self.window.hide()
        logging.getLogger(__name__).info("bye")
