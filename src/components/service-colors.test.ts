import { describe, expect, it } from 'vitest';
import { ERROR_COLOR, SERVICE_PALETTE, oklchToHex, serviceColor } from './service-colors.ts';

/** WCAG relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
/** Hue in degrees of `#rrggbb` (HSV). */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const hi = Math.max(r, g, b);
  const d = hi - Math.min(r, g, b);
  const h = hi === r ? ((g - b) / d) % 6 : hi === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

// The services of the demo traces (fixtures/demo/*.jsonl).
const DEMO_SERVICES = ['api-gateway', 'inventory-service', 'job-worker', 'jobs-api', 'jobs-api-postgres', 'order-batch', 'order-service', 'outbox-publisher', 'payment-service'];

describe('serviceColor', () => {
  it('depends on the name only: the same service gets the same colour whatever else is around it', () => {
    expect(serviceColor('inventory-service')).toBe(serviceColor('inventory-service'));
    // Pinned: a change of the hash or the palette changes every user's colours, and should be deliberate.
    expect(DEMO_SERVICES.map(serviceColor)).toMatchInlineSnapshot(`
      [
        "#cf911b",
        "#a860b0",
        "#23b4b3",
        "#d37bc1",
        "#259664",
        "#bb83dd",
        "#589235",
        "#b3a019",
        "#3a82d1",
      ]
    `);
  });

  it('gives the four services of the orders demo four different colours', () => {
    const orders = ['order-batch', 'order-service', 'payment-service', 'inventory-service'];
    expect(new Set(orders.map(serviceColor)).size).toBe(4);
  });

  it('spreads many names over the whole palette', () => {
    const used = new Set(Array.from({ length: 500 }, (_, k) => serviceColor(`service-${k}`)));
    expect(used.size).toBe(SERVICE_PALETTE.length);
  });

  it('is readable on the light and the dark page, and never looks like the error red', () => {
    expect(SERVICE_PALETTE).toHaveLength(24);
    for (const color of SERVICE_PALETTE) {
      expect(color).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(color, '#ffffff')).toBeGreaterThan(2.4); // the light page
      expect(contrast(color, '#0f172a')).toBeGreaterThan(3.5); // slate-900, the dark page
      const fromRed = Math.min(Math.abs(hue(color) - hue(ERROR_COLOR)), 360 - Math.abs(hue(color) - hue(ERROR_COLOR)));
      expect(fromRed).toBeGreaterThan(20);
    }
  });
});

describe('oklchToHex', () => {
  it('matches CSS Color 4 for in-gamut colours and keeps lightness when it has to drop chroma', () => {
    expect(oklchToHex(1, 0, 0)).toBe('#ffffff');
    expect(oklchToHex(0, 0, 0)).toBe('#000000');
    expect(oklchToHex(0.627955, 0.257683, 29.2339)).toBe('#ff0000'); // sRGB red, per the CSS spec's oklch()
    // Far out of gamut: a grey of the same lightness rather than a clipped, shifted hue.
    expect(luminance(oklchToHex(0.6, 0.4, 200))).toBeCloseTo(0.6 ** 3, 1);
  });
});
