// The head sampler in front of the tail: the OTEL_TRACES_SAMPLER name, its ratio and, for traceidratio,
// which SDK's rule decides (they differ). One text value `name[:ratio[:rule]]`; the controls edit its parts.
import { RATIO_RULES, type RatioRule } from '../../core/sampling/head-sampler.ts';

const SAMPLERS = ['none', 'always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;

const RULE_NOTES: Readonly<Record<RatioRule, string>> = {
  go: 'Go and Java SDKs: the trace id’s lower 8 bytes (shifted right by one) below ratio × 2⁶³.',
  js: 'OpenTelemetry JS: the XOR of the id’s four 32-bit words below ratio × 2³² — other traces than Go/Java keep.',
  consistent:
    'Consistent probability sampling: the root’s tracestate ot=rv randomness, else the trace id’s lower 56 bits (random when the W3C random flag is set; without it they are assumed random and counted), against the threshold; an upstream ot=th at or above it keeps the trace.',
};

interface Parts {
  readonly name: string;
  readonly ratio: string;
  readonly rule: RatioRule;
}

function partsOf(text: string): Parts {
  const [name = '', ratio = '', rule = 'go'] = text.trim().split(':');
  return { name: name || 'none', ratio, rule: RATIO_RULES.find((r) => r === rule) ?? 'go' };
}

function textOf({ name, ratio, rule }: Parts): string {
  if (name === 'none') return '';
  if (!name.endsWith('traceidratio')) return name;
  return `${name}:${ratio || '1'}${rule === 'go' ? '' : `:${rule}`}`;
}

interface Props {
  readonly text: string;
  readonly error: string | undefined;
  onChange(text: string): void;
}

export function HeadSamplerField({ text, error, onChange }: Props) {
  const parts = partsOf(text);
  const withRatio = parts.name.endsWith('traceidratio');
  const change = (next: Partial<Parts>) => onChange(textOf({ ...parts, ...next }));
  return (
    <fieldset className="flex flex-col gap-2 text-sm">
      <legend className="field-label mb-1">Head sampler (in the services’ SDKs, before the Collector)</legend>
      <input
        className="input font-mono"
        value={text}
        placeholder="none (the tail sampler sees every trace)"
        aria-label="Head sampler, as OTEL_TRACES_SAMPLER[:OTEL_TRACES_SAMPLER_ARG[:rule]]"
        aria-invalid={error !== undefined}
        data-testid="sampling-head"
        onChange={(e) => onChange(e.target.value)}
      />
      <select className="input py-1" value={SAMPLERS.find((s) => s === parts.name) ?? 'none'} onChange={(e) => change({ name: e.target.value })} aria-label="Sampler" data-testid="sampling-head-kind">
        {SAMPLERS.map((s) => (
          <option key={s} value={s}>
            {s === 'none' ? 'no head sampler' : s}
          </option>
        ))}
      </select>
      {withRatio ? (
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-1">
            <span className="field-label">ratio</span>
            <input className="input w-20 py-1 tabular-nums" type="number" min={0} max={1} step={0.01} value={parts.ratio} onChange={(e) => change({ ratio: e.target.value })} data-testid="sampling-head-ratio" />
          </label>
          <label className="flex items-center gap-1">
            <span className="field-label">rule</span>
            <select className="input py-1" value={parts.rule} onChange={(e) => change({ rule: RATIO_RULES.find((r) => r === e.target.value) ?? 'go' })} data-testid="sampling-head-rule">
              <option value="go">go / java</option>
              <option value="js">js</option>
              <option value="consistent">consistent (ot=)</option>
            </select>
          </label>
        </div>
      ) : null}
      {withRatio ? <p className="text-xs text-slate-500 dark:text-slate-400">{RULE_NOTES[parts.rule]}</p> : null}
      {error ? (
        <p role="alert" data-testid="sampling-head-error" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
