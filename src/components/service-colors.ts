// The one colour of a service, everywhere: waterfall, graphs, flamegraph, search results, compare,
// sampling. It comes from the service's name alone (a hash), never from its place in a trace or a
// list, so a service keeps its colour across views, traces and pages.
//
// The hash picks a hue on the OKLCH wheel and one of two lightnesses. A fixed OKLCH lightness gives
// every hue about the same luminance, so no service is near-white on a light page or near-black on a
// dark one, and a yellow is as readable as a blue. Red hues are left out: red means error everywhere.

export const ERROR_COLOR = '#D62728';

/** OKLCH hues (degrees) a service may get: everything but the reds and pinks of errors. */
const HUE_FROM = 65;
const HUE_SPAN = 270; // up to 335°
/** Colours a service can get: hues evenly spread, lightness alternating, so neighbours differ in both. */
const COLOR_COUNT = 24;
const LIGHTNESS = [0.6, 0.7] as const;
const CHROMA = 0.14;

/** Every colour a service can get, in hue order. */
export const SERVICE_PALETTE: readonly string[] = Array.from({ length: COLOR_COUNT }, (_, k) =>
  oklchToHex(LIGHTNESS[k % 2], CHROMA, HUE_FROM + (k * HUE_SPAN) / (COLOR_COUNT - 1)),
);

/** The colour of a service as `#rrggbb` (canvas renderers build a per-trace table from it). */
export function serviceColor(service: string): string {
  return SERVICE_PALETTE[fnv1a(service) % SERVICE_PALETTE.length];
}

/** FNV-1a over the UTF-16 code units, finished with a murmur-style mix so similar names spread apart. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** OKLCH → sRGB hex; out-of-gamut colours lose chroma until they fit (hue and lightness kept). */
export function oklchToHex(lightness: number, chroma: number, hueDeg: number): string {
  const angle = (hueDeg * Math.PI) / 180;
  for (let c = chroma; ; c *= 0.9) {
    const rgb = oklabToLinearSrgb(lightness, c * Math.cos(angle), c * Math.sin(angle));
    if (c < 0.005 || rgb.every((v) => v >= -1e-4 && v <= 1 + 1e-4)) return `#${rgb.map((v) => toHexByte(encodeSrgb(v))).join('')}`;
  }
}

// Björn Ottosson's OKLab matrices (https://bottosson.github.io/posts/oklab/).
function oklabToLinearSrgb(l: number, a: number, b: number): [number, number, number] {
  const l_ = (l + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m_ = (l - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s_ = (l - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
    -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
    -0.0041960863 * l_ - 0.7034186147 * m_ + 1.707614701 * s_,
  ];
}

function encodeSrgb(linear: number): number {
  const v = Math.min(1, Math.max(0, linear));
  return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
}

function toHexByte(unit: number): string {
  return Math.round(unit * 255)
    .toString(16)
    .padStart(2, '0');
}
