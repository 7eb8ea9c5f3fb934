"""The relay's counters and publish-latency histogram, in Prometheus text format.

Hand-rolled (a dozen lines) rather than prometheus_client: one process, four
series, and no dependency to carry into every desktop install.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

LATENCY_BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class RelayMetrics:
    def __init__(self) -> None:
        self.events_in = 0
        self.published = 0
        self.duplicates = 0
        self.unavailable = 0
        self.rejected: Counter[str] = Counter()
        self._bucket_counts = [0] * (len(LATENCY_BUCKETS_S) + 1)
        self._latency_sum = 0.0
        self._latency_count = 0

    def observe_publish(self, seconds: float) -> None:
        self._bucket_counts[bisect_left(LATENCY_BUCKETS_S, seconds)] += 1
        self._latency_sum += seconds
        self._latency_count += 1

    def render(self) -> str:
        lines = [
            "# HELP agentapp_relay_events_in_total Webhook requests received.",
            "# TYPE agentapp_relay_events_in_total counter",
            f"agentapp_relay_events_in_total {self.events_in}",
            "# HELP agentapp_relay_published_total Events stored by JetStream "
            "(duplicates included).",
            "# TYPE agentapp_relay_published_total counter",
            f"agentapp_relay_published_total {self.published}",
            "# HELP agentapp_relay_duplicates_total Publishes JetStream dropped as duplicates.",
            "# TYPE agentapp_relay_duplicates_total counter",
            f"agentapp_relay_duplicates_total {self.duplicates}",
            "# HELP agentapp_relay_unavailable_total Requests answered 503 (NATS down).",
            "# TYPE agentapp_relay_unavailable_total counter",
            f"agentapp_relay_unavailable_total {self.unavailable}",
            "# HELP agentapp_relay_rejected_total Requests refused, by reason.",
            "# TYPE agentapp_relay_rejected_total counter",
        ]
        for reason in sorted(self.rejected):
            lines.append(f'agentapp_relay_rejected_total{{reason="{reason}"}} '
                         f"{self.rejected[reason]}")
        lines += [
            "# HELP agentapp_relay_publish_seconds Time from request to JetStream ack.",
            "# TYPE agentapp_relay_publish_seconds histogram",
        ]
        running = 0
        for bound, count in zip(LATENCY_BUCKETS_S, self._bucket_counts, strict=False):
            running += count
            lines.append(f'agentapp_relay_publish_seconds_bucket{{le="{bound}"}} {running}')
        lines.append(f'agentapp_relay_publish_seconds_bucket{{le="+Inf"}} '
                     f"{self._latency_count}")
        lines.append(f"agentapp_relay_publish_seconds_sum {self._latency_sum:.6f}")
        lines.append(f"agentapp_relay_publish_seconds_count {self._latency_count}")
        return "\n".join(lines) + "\n"
