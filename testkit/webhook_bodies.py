"""Random webhook bodies for property tests: mostly plausible events, some junk.

Shared by the receiver's security fuzz (tests/security) and the fault suite's
random deliveries (testkit.webhook_senders), so both try the same space.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=24),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=5),
    max_leaves=6)
FIELDS = ["logid", "recordid", "event_id", "seq", "leg", "call_duration", "cause", "digits",
          "call_type", "client_no", "ext_no", "did_no", "agent_attended", "timestamp"]
EVENTS = st.sampled_from(["ring", "answer", "hangup", "dtmf", "RING", "snapshot", "x", ""])
LIKELY = st.fixed_dictionaries(
    {"event": EVENTS | JSON_VALUES},
    optional={name: JSON_VALUES | st.integers(-1, 10**30).map(str) for name in FIELDS})
BODIES = (
    LIKELY.map(lambda d: json.dumps(d).encode())
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON_VALUES, max_size=8
                      ).map(lambda d: json.dumps(d).encode())
    | JSON_VALUES.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=300)
    | st.text(max_size=200).map(str.encode)
)
