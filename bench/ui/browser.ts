// Chromium for the UI benchmark, launched the way playwright.config.ts launches it for the e2e tests, plus
// two things Playwright's API does not give: CDP sessions to the page's workers, and the memory of the
// browser's processes.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type CDPSession } from '@playwright/test';

// As in playwright.config.ts: $SPANSCOPE_CHROMIUM, else Debian's Chromium, else Playwright's own browser.
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.SPANSCOPE_CHROMIUM ?? process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'];

export interface LaunchedBrowser {
  readonly browser: Browser;
  /** Finds the browser's processes (a unique marker switch on its command line, then the process tree). */
  processTree(): number[];
}

export async function launchBrowser(): Promise<LaunchedBrowser> {
  // Chromium ignores switches it does not know; this one only lets us find the browser process in /proc.
  const marker = `--spanscope-bench-ui=${randomUUID()}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, marker], headless: true });
  let root: number | undefined;
  return {
    browser,
    processTree() {
      root ??= findProcess(marker);
      return root === undefined ? [] : descendants(root);
    },
  };
}

function listPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

function findProcess(marker: string): number | undefined {
  for (const pid of listPids()) {
    const cmd = readProc(pid, 'cmdline');
    if (cmd?.split('\0').includes(marker) && !cmd.includes('--type=')) return pid;
  }
  return undefined;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of listPids()) {
    const stat = readProc(pid, 'stat');
    if (!stat) continue;
    // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const stack = [root];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Proportional set size of a process (shared pages split among their users), bytes; RSS if Pss is unreadable. */
function processMemory(pid: number): number {
  const rollup = readProc(pid, 'smaps_rollup');
  const pss = rollup && /^Pss:\s+(\d+) kB/m.exec(rollup);
  if (pss) return Number(pss[1]) * 1024;
  const status = readProc(pid, 'status');
  const rss = status && /^VmRSS:\s+(\d+) kB/m.exec(status);
  return rss ? Number(rss[1]) * 1024 : 0;
}

export interface MemorySample {
  /** All of the browser's processes. */
  readonly totalBytes: number;
  /** The largest single process (the page's renderer, which also runs its workers). */
  readonly largestBytes: number;
}

export function sampleMemory(pids: readonly number[]): MemorySample {
  let totalBytes = 0;
  let largestBytes = 0;
  for (const pid of pids) {
    const m = processMemory(pid);
    totalBytes += m;
    if (m > largestBytes) largestBytes = m;
  }
  return { totalBytes, largestBytes };
}

/** Samples the browser's memory every `intervalMs` until stopped; keeps the peaks. */
export function memorySampler(browser: LaunchedBrowser, intervalMs = 500): { stop(): MemorySample; peak(): MemorySample } {
  let peakTotal = 0;
  let peakLargest = 0;
  const tick = () => {
    const s = sampleMemory(browser.processTree());
    if (s.totalBytes > peakTotal) peakTotal = s.totalBytes;
    if (s.largestBytes > peakLargest) peakLargest = s.largestBytes;
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  const peak = () => ({ totalBytes: peakTotal, largestBytes: peakLargest });
  return {
    peak,
    stop() {
      clearInterval(timer);
      tick();
      return peak();
    },
  };
}

interface Pending {
  resolve(result: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * CDP sessions to the page's workers. Playwright's CDPSession cannot address a child session, so the
 * page session auto-attaches to its workers in non-flat mode and talks to them through
 * Target.sendMessageToTarget (Playwright's own flat sessions are untouched).
 */
export class WorkerTargets {
  private readonly sessions = new Map<string, { url: string; type: string }>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1_000_000;

  constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type === 'worker' || e.targetInfo.type === 'shared_worker') this.sessions.set(e.sessionId, { url: e.targetInfo.url, type: e.targetInfo.type });
    });
    cdp.on('Target.detachedFromTarget', (e) => {
      if (e.sessionId) this.sessions.delete(e.sessionId);
    });
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const message = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.error) p.reject(new Error(message.error.message));
      else p.resolve(message.result);
    });
  }

  async enable(): Promise<void> {
    await this.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  }

  workers(): { sessionId: string; url: string }[] {
    return [...this.sessions].map(([sessionId, s]) => ({ sessionId, url: s.url }));
  }

  send<T = unknown>(sessionId: string, method: string, params: object = {}, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} on worker ${sessionId}: no answer in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, timer });
      this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((err: Error) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err);
      });
    });
  }
}
