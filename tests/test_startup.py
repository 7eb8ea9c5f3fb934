"""How a launch starts (pure decision) and what the command line accepts."""

from __future__ import annotations

import pytest

from agentapp import demo, sandbox
from agentapp.cli import parse_launch
from agentapp.startup import DEMO_DID, DEMO_EXTENSION, StoredAccount, resolve_start

NOTHING = StoredAccount("https://api.ivrsolutions.in", "", "", choice_made=False)
STORED = StoredAccount("https://api.example.in", "2102", "+918044475500", choice_made=True)


def test_no_account_starts_the_demo_and_first_run_shows_the_dialog() -> None:
    plan = resolve_start(parse_launch([]), NOTHING, None, None)
    assert (plan.kind, plan.ext_no, plan.did, plan.first_run) == (
        "demo", DEMO_EXTENSION, DEMO_DID, True)
    seen_before = StoredAccount(NOTHING.base_url, "", "", choice_made=True)
    again = resolve_start(parse_launch([]), seen_before, None, None)
    assert again.kind == "demo" and not again.first_run


def test_stored_account_with_keyring_token_starts_signed_in() -> None:
    plan = resolve_start(parse_launch([]), STORED, "tok-from-keyring", None)
    assert (plan.kind, plan.base_url, plan.ext_no, plan.did, plan.token) == (
        "account", "https://api.example.in", "2102", "+918044475500", "tok-from-keyring")
    assert "tok-from-keyring" not in repr(plan)


def test_environment_token_wins_and_api_url_signs_in_without_dialog() -> None:
    launch = parse_launch(["--api-url", "http://127.0.0.1:9", "--extension", "2101",
                           "--did", "+911143104567"])
    plan = resolve_start(launch, NOTHING, "keyring-tok", "env-tok")
    assert (plan.kind, plan.base_url, plan.token) == ("account", "http://127.0.0.1:9", "env-tok")


def test_api_url_without_everything_asks_and_says_what_is_missing() -> None:
    plan = resolve_start(parse_launch(["--api-url", "https://x.example"]), NOTHING, None, None)
    assert plan.kind == "sign_in"
    assert "AGENTAPP_TOKEN" in plan.reason and "--extension" in plan.reason


def test_sandbox_flag_wins_over_a_stored_account() -> None:
    plan = resolve_start(parse_launch(["--sandbox", "--extension", "2105"]), STORED, "t", None)
    assert (plan.kind, plan.ext_no) == ("demo", "2105")


@pytest.mark.parametrize("argv", [["--token", "abc"], ["--token=abc"], ["--api-token", "x"]])
def test_a_token_is_never_accepted_on_the_command_line(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_launch(argv)
    assert exit_info.value.code == 2
    assert "never accepted on the command line" in capsys.readouterr().err


def test_targets_and_flags_parse() -> None:
    launch = parse_launch(["--profile", "work", "--dial", "tel:+91-98765-43210"])
    assert (launch.profile, launch.dial, launch.target) == ("work", True, "tel:+91-98765-43210")


def test_demo_token_is_the_sandboxs() -> None:
    assert demo.DEMO_TOKEN == sandbox.DEMO_TOKEN
