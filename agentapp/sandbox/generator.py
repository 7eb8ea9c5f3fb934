"""Builds the simulated world from a seed: same seed and start -> identical world.

Uses one ``random.Random(seed)``; per-record work is a handful of draws so that
100,000 history records take well under a second or two.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from .clock import IST, TIME_FORMAT
from .names import COMPANIES, FIRST_NAMES, LAST_NAMES
from .world import (
    C2C_BASE,
    CALL_LOG_BASE,
    DIALER_LOG_BASE,
    Agent,
    C2CLog,
    CallLog,
    Contact,
    Dialer,
    DialerLog,
    Did,
    World,
)

HISTORY_DAYS = 30
CONTACT_COUNT = 300


def fixed_dids() -> dict[str, Did]:
    dids = (
        Did("+911143104567", "Delhi", "landline", True),
        Did("+918044475500", "Bangalore", "landline", True),
        Did("+918001234567", "Toll-Free", "tollfree", True),
        Did("+912261234567", "Mumbai", "landline", False),
    )
    return {d.number: d for d in dids}


def fixed_agents(today: date) -> dict[str, Agent]:
    """The agents the app and tests rely on (docs/sandbox.md lists them)."""
    valid = today + timedelta(days=365)
    agents = (
        Agent(456, "Priya Sharma", "priya.sharma@demo-callcentre.in", "9810012345", "2101",
              True, valid, "+911143104567"),
        Agent(457, "Arjun Mehta", "arjun.mehta@demo-callcentre.in", "9820023456", "2102",
              True, valid, "+918044475500"),
        Agent(458, "Kavita Rao", "kavita.rao@demo-callcentre.in", "9830034567", "2103",
              False, valid, "+911143104567"),
        Agent(459, "Rohan Gupta", "rohan.gupta@demo-callcentre.in", "9840045678", "2104",
              True, today - timedelta(days=10), "+918044475500"),
        Agent(460, "Neha Iyer", "neha.iyer@demo-callcentre.in", "9850056789", "2105",
              True, valid, "+911143104567", answers=False),
    )
    return {a.ext_no: a for a in agents}


def _mobile(rng: random.Random) -> str:
    """A valid Indian mobile that answers (never ends in 00, 99 or 98)."""
    while True:
        number = str(rng.randint(6_000_000_000, 9_999_999_999))
        if number[-2:] not in ("00", "99", "98"):
            return number


def _contacts(rng: random.Random) -> list[Contact]:
    seen: set[str] = set()
    contacts: list[Contact] = []
    while len(contacts) < CONTACT_COUNT:
        number = _mobile(rng)
        if number in seen:
            continue
        seen.add(number)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = ""
        if rng.random() < 0.4:
            email = f"{first}.{last}".lower().replace("'", "") + "@example.in"
        contacts.append(Contact(len(contacts) + 1, f"{first} {last}", number, "+91", email,
                                rng.choice(COMPANIES)))
    return contacts


def _times(rng: random.Random, count: int, now: datetime) -> list[str]:
    """``count`` ascending IST timestamps within the last 30 days."""
    span = HISTORY_DAYS * 86_400
    offsets = sorted((rng.random() * span for _ in range(count)), reverse=True)
    local_now = now.astimezone(IST).replace(tzinfo=None)
    return [(local_now - timedelta(seconds=int(o) + 1)).strftime(TIME_FORMAT) for o in offsets]


def _dialers() -> dict[int, Dialer]:
    return {
        101: Dialer(101, "Order Confirmation Campaign", "+911143104567", "on", "09:00", "18:00", 5),
        102: Dialer(102, "Feedback Survey", "+918044475500", "off", "10:00", "17:00", 3),
    }


def generate_world(seed: int, now: datetime, history: int, id_offset: int = 0) -> World:
    rng = random.Random(seed)
    agents = fixed_agents(now.astimezone(IST).date())
    contacts = _contacts(rng)
    world = World(
        account={"account_id": f"SBX{seed:05d}", "company": "Demo Call Centre Pvt Ltd",
                 "email": "admin@demo-callcentre.in"},
        agents=agents, dids=fixed_dids(), contacts=contacts, dialers=_dialers(),
        id_offset=id_offset,
    )
    n_calls = history * 50 // 100
    n_c2c = history * 35 // 100
    n_dialer = history - n_calls - n_c2c
    numbers = [c.number for c in contacts]
    talkers = [agents["2101"], agents["2102"], agents["2105"]]
    world.call_logs = _call_logs(rng, _times(rng, n_calls, now), numbers, talkers)
    world.c2c_logs = _c2c_logs(rng, _times(rng, n_c2c, now), numbers, talkers)
    world.dialer_logs = _dialer_logs(rng, _times(rng, n_dialer, now), numbers, world.dialers)
    world.__post_init__()
    return world


def _customer(rng: random.Random, numbers: list[str]) -> str:
    return rng.choice(numbers) if rng.random() < 0.8 else _mobile(rng)


def _disposition(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.7:
        return "", ""
    status = rng.randint(1, 7)
    return str(status), rng.choice(("Asked for brochure", "Call after 6 pm", "Spoke to customer",
                                     "Not reachable earlier", "Wants a demo"))


def _attended_by(incoming: bool, answered: bool, agent_phone: str, customer: str) -> str:
    """Incoming: the answering agent's phone with a leading 0 (CW); outgoing: the customer (PD)."""
    if incoming:
        return "0" + agent_phone if answered else ""
    return customer


def _call_logs(rng: random.Random, times: list[str], numbers: list[str],
               agents: list[Agent]) -> list[CallLog]:
    records: list[CallLog] = []
    for i, call_time in enumerate(times):
        agent = rng.choice(agents)
        customer = _customer(rng, numbers)
        incoming = rng.random() < 0.7
        roll = rng.random()
        if incoming:
            status = "answered" if roll < 0.75 else "missed"
        else:
            status = "answered" if roll < 0.6 else ("busy" if roll < 0.8 else "no_answer")
        answered = status == "answered"
        duration = rng.randint(15, 600) if answered else 0
        disposition, note = _disposition(rng) if answered else ("", "")
        records.append(CallLog(
            recordid=CALL_LOG_BASE + 1 + i, did_no=agent.did_no, client_no=customer,
            agent_no=agent.phone,
            attended_by=_attended_by(incoming, answered, agent.phone, customer),
            ext_no=agent.ext_no, call_time=call_time, call_duration=duration, call_status=status,
            call_type="incoming" if incoming else "outgoing", has_recording=answered,
            dtmf_input=str(rng.randint(1, 3)) if incoming and rng.random() < 0.5 else "",
            outgoing_ext="" if incoming else customer, note=note, disposition=disposition,
        ))
    return records


def _c2c_logs(rng: random.Random, times: list[str], numbers: list[str],
              agents: list[Agent]) -> list[C2CLog]:
    records: list[C2CLog] = []
    for i, call_time in enumerate(times):
        agent = rng.choice(agents)
        roll = rng.random()
        if not agent.answers or roll < 0.05:
            status, agent_ok, customer_ok = "agent_no_answer", False, False
        elif roll < 0.7:
            status, agent_ok, customer_ok = "answered", True, True
        elif roll < 0.85:
            status, agent_ok, customer_ok = "busy", True, False
        else:
            status, agent_ok, customer_ok = "no_answer", True, False
        duration = rng.randint(15, 600) if customer_ok else 0
        disposition, note = _disposition(rng) if customer_ok else ("", "")
        records.append(C2CLog(
            recordid=C2C_BASE + 1 + i, did_no=agent.did_no, agent_no=agent.phone,
            client_no=_customer(rng, numbers), agent_name=agent.name, ext_no=agent.ext_no,
            call_time=call_time, call_duration=duration, call_status=status,
            has_recording=customer_ok, agent_attended=agent_ok, customer_attended=customer_ok,
            note=note, disposition=disposition,
        ))
    return records


def _dialer_logs(rng: random.Random, times: list[str], numbers: list[str],
                 dialers: dict[int, Dialer]) -> list[DialerLog]:
    records: list[DialerLog] = []
    choices = list(dialers.values())
    for i, call_time in enumerate(times):
        dialer = rng.choice(choices)
        answered = rng.random() < 0.65
        records.append(DialerLog(
            id=DIALER_LOG_BASE + 1 + i, dialer_id=dialer.id, dialer_name=dialer.name,
            customer_no=_customer(rng, numbers), call_time=call_time,
            call_duration=rng.randint(10, 90) if answered else 0,
            call_status="answered" if answered else "no_answer",
            dtmf_input=str(rng.randint(1, 2)) if answered and rng.random() < 0.6 else "",
            attempts=1 if answered else rng.randint(1, 3),
        ))
    for dialer in choices:
        dialer.completed = sum(1 for r in records if r.dialer_id == dialer.id)
    return records
