import { describe, expect, it } from 'vitest';
import { IntakeAdmission } from './intake-admission.ts';

describe('IntakeAdmission', () => {
  it('refuses beyond its request cap or its byte cap, and takes requests again once slots are released', () => {
    const admission = new IntakeAdmission(3, 1000, 60_000);
    const a = admission.admit(600);
    expect(a).toBeDefined();
    expect(admission.admit(500)).toBeUndefined(); // 1,100 bytes
    const b = admission.admit(0); // size unknown yet (no Content-Length)
    expect(b?.charge(300)).toBe(true); // 900
    expect(b?.charge(450)).toBe(false); // 1,050: refused, still 900 charged
    const c = admission.admit(100); // 1,000
    expect(c).toBeDefined();
    expect(admission.admit(0)).toBeUndefined(); // a fourth request
    a?.release();
    a?.release(); // twice changes nothing
    expect(admission.admit(700)).toBeUndefined(); // 400 + 700
    expect(admission.admit(600)).toBeDefined(); // 1,000
  });

  it('takes one request larger than the whole byte budget when nothing else is in flight', () => {
    const admission = new IntakeAdmission(8, 1000, 60_000);
    const big = admission.admit(5000);
    expect(big).toBeDefined();
    expect(admission.admit(1)).toBeUndefined();
    big?.release();
    expect(admission.admit(1)).toBeDefined();
  });

  it('refuses while the oldest request in hand has waited longer than its bound, and takes requests again once it is done', () => {
    let now = 0;
    const admission = new IntakeAdmission(64, 1e9, 2000, () => now);
    const first = admission.admit(10);
    now = 1500;
    const second = admission.admit(10);
    expect(second).toBeDefined();
    now = 2001;
    expect(admission.admit(10)).toBeUndefined();
    expect(admission.describe()).toBe('the intake is 2.0 s behind (the bound is 2 s); retry shortly');
    first?.release();
    // The oldest in hand is now the second (501 ms).
    expect(admission.admit(10)).toBeDefined();
    now = 3600;
    expect(admission.admit(10)).toBeUndefined();
    second?.release();
    expect(admission.admit(10)).toBeDefined();
  });
});
