// Graph layouts for the graph views, as pure computations (no DOM) so they run in a worker: a layered
// layout (dagre's Sugiyama) left to right or top to bottom, and a force-directed one (d3-force) for
// graphs too big for layers to read well or to lay out quickly (dagre takes seconds at 500 nodes).
import dagre from '@dagrejs/dagre';
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3';

export type LayoutAlgorithm = 'layered' | 'force';

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

/**
 * Layers read best, but take seconds past a few hundred nodes or edges (each edge across layers adds a
 * node per layer it crosses) and a dense graph is a hairball either way: those start force-directed.
 */
export function defaultLayout(nodeCount: number, edgeCount: number): LayoutAlgorithm {
  return nodeCount > 150 || edgeCount > 300 ? 'force' : 'layered';
}

export function layoutGraph(input: LayoutInput, algorithm: LayoutAlgorithm): LaidOutGraph {
  return algorithm === 'force' ? forceLayout(input) : layeredLayout(input);
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

/**
 * Force-directed: linked nodes pull together, all nodes push apart and never overlap, and each node is
 * nudged right by its call depth so callers still tend to sit left of callees. Deterministic (fixed
 * start positions, fixed tick count). Edges are straight, from border to border.
 */
export function forceLayout({ nodeCount, edges, nodeWidth, nodeHeight, nodeGap = 20, direction = 'LR' }: LayoutInput): LaidOutGraph {
  const depth = callDepth(nodeCount, edges);
  const along = direction === 'LR' ? nodeWidth : nodeHeight;
  // Start on a spiral (d3's own phyllotaxis start is random-free too, but ignores the depth).
  const nodes: (SimulationNodeDatum & { index: number })[] = Array.from({ length: nodeCount }, (_, n) => {
    const angle = n * 2.39996;
    const radius = 30 * Math.sqrt(n);
    return { index: n, x: depth[n] * along * 1.5 + radius * Math.cos(angle), y: radius * Math.sin(angle) };
  });
  const links = edges.filter((e) => e.from !== e.to).map((e) => ({ source: e.from, target: e.to }));
  const radius = Math.hypot(nodeWidth, nodeHeight) / 2 + nodeGap / 2;
  const simulation = forceSimulation(nodes)
    .force('link', forceLink(links).distance(radius * 2.2).strength(0.4))
    .force('charge', forceManyBody().strength(-radius * 6).distanceMax(radius * 12))
    .force('collide', forceCollide(radius).strength(1))
    .force('depth', (direction === 'LR' ? forceX<SimulationNodeDatum & { index: number }>((d) => depth[d.index] * along * 1.5) : forceY<SimulationNodeDatum & { index: number }>((d) => depth[d.index] * along * 1.5)).strength(0.15))
    .stop();
  simulation.tick(Math.min(300, 100 + nodeCount));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  // The simulation has placed every node: x and y are set.
  const x = Float64Array.from(nodes, (n) => n.x ?? 0);
  const y = Float64Array.from(nodes, (n) => n.y ?? 0);
  for (let n = 0; n < x.length; n++) {
    minX = Math.min(minX, x[n]);
    minY = Math.min(minY, y[n]);
    maxX = Math.max(maxX, x[n]);
    maxY = Math.max(maxY, y[n]);
  }
  const margin = 16;
  for (let n = 0; n < x.length; n++) {
    x[n] += margin - minX;
    y[n] += margin - minY;
  }
  const centre = (n: number) => ({ x: x[n] + nodeWidth / 2, y: y[n] + nodeHeight / 2 });
  const routes = edges.map((e) => {
    if (e.from === e.to || nodeCount === 0) return [];
    const a = centre(e.from);
    const b = centre(e.to);
    return [borderPoint(a, b, nodeWidth, nodeHeight), borderPoint(b, a, nodeWidth, nodeHeight)];
  });
  const width = nodeCount ? maxX - minX + nodeWidth + 2 * margin : 0;
  const height = nodeCount ? maxY - minY + nodeHeight + 2 * margin : 0;
  return { x, y, routes, width, height };
}

/** Longest path from a node without callers (cycles cut where they close), iteratively. */
function callDepth(nodeCount: number, edges: readonly { readonly from: number; readonly to: number }[]): Uint32Array {
  const depth = new Uint32Array(nodeCount);
  const indegree = new Uint32Array(nodeCount);
  const out: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const e of edges) {
    if (e.from === e.to) continue;
    out[e.from].push(e.to);
    indegree[e.to]++;
  }
  const queue: number[] = [];
  for (let n = 0; n < nodeCount; n++) if (indegree[n] === 0) queue.push(n);
  const placed = new Uint8Array(nodeCount);
  for (let head = 0; ; ) {
    while (head < queue.length) {
      const n = queue[head++];
      placed[n] = 1;
      for (const m of out[n]) {
        if (placed[m]) continue;
        depth[m] = Math.max(depth[m], depth[n] + 1);
        if (--indegree[m] === 0) queue.push(m);
      }
    }
    // A cycle with no way in: start it at the first node left.
    const left = placed.indexOf(0);
    if (left < 0) break;
    indegree[left] = 0;
    queue.push(left);
  }
  return depth;
}

/** Where the segment from a node's centre towards `to` leaves its rectangle. */
function borderPoint(from: { x: number; y: number }, to: { x: number; y: number }, width: number, height: number): { x: number; y: number } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (dx === 0 && dy === 0) return from;
  const t = Math.min(Math.abs(dx) > 0 ? width / 2 / Math.abs(dx) : Infinity, Math.abs(dy) > 0 ? height / 2 / Math.abs(dy) : Infinity);
  return { x: from.x + dx * t, y: from.y + dy * t };
}
