// Issue #18's reference case, which the lab opens with and the tests replay: the policy every
// OpenTelemetry tutorial ships (errors kept, slow kept, 10% of the rest) behind the SDKs' usual head sampler.
export const REFERENCE_CONFIG = `processors:
  tail_sampling:
    decision_wait: 10s
    num_traces: 100
    expected_new_traces_per_sec: 10
    policies:
      - name: errors-policy
        type: status_code
        status_code: { status_codes: [ERROR] }
      - name: slow-traces-policy
        type: latency
        latency: { threshold_ms: 1000 }
      - name: probabilistic-policy
        type: probabilistic
        probabilistic: { sampling_percentage: 10 }
`;

export const DEFAULT_HEAD_SAMPLER = 'parentbased_traceidratio:0.1';
