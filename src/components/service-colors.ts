// Okabe–Ito first, then Paul Tol's "muted" extras: distinguishable under the common colour-vision
// deficiencies and visible on light and dark backgrounds (no near-black, no near-white). Red-like
// hues are left out: red means error everywhere in the app.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#56B4E9', '#CC79A7', '#44AA99', '#999933', '#AA4499', '#F0E442', '#88CCEE', '#DDCC77', '#882255'];

export function serviceColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Colour of a service within a sorted list of the services of a file, stable while the file is open. */
export function serviceColorIn(services: readonly string[], service: string): string {
  return serviceColor(services.indexOf(service));
}

export const ERROR_COLOR = '#D62728';
