// Layered layout (dagre's Sugiyama), left to right or top to bottom, for the graph views: nodes of a fixed size, edges
// routed as polylines. Pure computation, no DOM: it can run in the worker for big graphs.
import dagre from '@dagrejs/dagre';

export interface LayoutInput {
  readonly nodeCount: number;
  readonly edges: readonly { readonly from: number; readonly to: number }[];
  readonly nodeWidth: number;
  readonly nodeHeight: number;
  /** Space between layers and between nodes of a layer. */
  readonly rankGap?: number;
  readonly nodeGap?: number;
  /** Layers left to right (default), or top to bottom for deep call trees. */
  readonly direction?: 'LR' | 'TB';
}

export interface LaidOutGraph {
  /** Top-left corner of each node. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Per edge, the points of its route (first at the source's border, last at the target's). */
  readonly routes: readonly (readonly { x: number; y: number }[])[];
  readonly width: number;
  readonly height: number;
}

export function layeredLayout({ nodeCount, edges, nodeWidth, nodeHeight, rankGap = 64, nodeGap = 20, direction = 'LR' }: LayoutInput): LaidOutGraph {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, ranksep: rankGap, nodesep: nodeGap, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (let n = 0; n < nodeCount; n++) g.setNode(String(n), { width: nodeWidth, height: nodeHeight });
  edges.forEach((e, k) => {
    if (e.from !== e.to) g.setEdge(String(e.from), String(e.to), {}, String(k));
  });
  dagre.layout(g);
  const x = new Float64Array(nodeCount);
  const y = new Float64Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    const node = g.node(String(n));
    x[n] = node.x - nodeWidth / 2;
    y[n] = node.y - nodeHeight / 2;
  }
  const routes = edges.map((e, k) => (e.from === e.to ? [] : (g.edge({ v: String(e.from), w: String(e.to), name: String(k) }).points ?? [])));
  const graph = g.graph();
  return { x, y, routes, width: graph.width ?? 0, height: graph.height ?? 0 };
}

/** An edge route as an SVG path, and the point halfway between its ends (for its label). */
export function routePath(route: readonly { x: number; y: number }[]): { d: string; mid: { x: number; y: number } } {
  const d = `M${route.map((p) => `${p.x},${p.y}`).join(' L')}`;
  const last = route[route.length - 1];
  return { d, mid: { x: (route[0].x + last.x) / 2, y: (route[0].y + last.y) / 2 } };
}
