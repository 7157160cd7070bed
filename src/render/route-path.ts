// Edge routes as SVG paths.

/** An edge route as an SVG path, and the point halfway between its ends (for its label). */
export function routePath(route: readonly { x: number; y: number }[]): { d: string; mid: { x: number; y: number } } {
  const d = `M${route.map((p) => `${p.x},${p.y}`).join(' L')}`;
  const last = route[route.length - 1];
  return { d, mid: { x: (route[0].x + last.x) / 2, y: (route[0].y + last.y) / 2 } };
}
