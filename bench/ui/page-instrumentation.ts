// What `npm run bench:ui` installs in the page before the app's own scripts run (page.addInitScript):
// window.__bench with
//   - every main-thread long task (PerformanceObserver 'longtask', buffered) and long animation frame
//     ('long-animation-frame', with its script attribution), and Event Timing entries ≥ 16 ms;
//   - the trace worker's messages to the page (type, phase, arrival time; the data itself is not kept,
//     so it never inflates the heap figure), by wrapping window.Worker;
//   - the moment the first waterfall row enters the DOM and the first paint after it;
//   - timestamps of trusted input events (mousedown/mouseup/click), so an interaction is timed from the
//     browser's own input time, not from when Playwright's call returned;
//   - a requestAnimationFrame loop that records frame deltas while an interaction runs;
//   - waitRowsChange(): resolves when the number of waterfall rows in the DOM changes, then paints.
//
// It is a plain JavaScript string on purpose: functions compiled by tsx carry `__name(...)` helper calls
// that do not exist in the page, so nothing here is a serialized TypeScript function.

export const PAGE_INSTRUMENTATION = String.raw`(() => {
  if (window.__bench) return;
  // Functions passed to page.evaluate from tsx-compiled code may reference esbuild's __name helper.
  if (!window.__name) window.__name = (f) => f;
  const B = (window.__bench = {
    longtasks: [],
    loafs: [],
    events: [],
    worker: [],
    inputs: [],
    marks: {},
    frames: null,
  });
  const ROW = '[data-testid=waterfall-row]';

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (err) {
    B.longtaskError = String(err);
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration < 50) continue;
        B.loafs.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          renderStart: e.renderStart,
          styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: (e.scripts || []).map((s) => ({
            invoker: s.invoker,
            invokerType: s.invokerType,
            start: s.startTime,
            duration: s.duration,
            forcedStyleAndLayout: s.forcedStyleAndLayoutDuration,
            sourceURL: s.sourceURL,
            sourceFunctionName: s.sourceFunctionName,
            sourceCharPosition: s.sourceCharPosition,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (err) {
    B.loafError = String(err);
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        B.events.push({ name: e.name, start: e.startTime, duration: e.duration, processingStart: e.processingStart, processingEnd: e.processingEnd, interactionId: e.interactionId });
      }
    }).observe({ type: 'event', buffered: true, durationThreshold: 16 });
  } catch (err) {
    B.eventTimingError = String(err);
  }

  // The app's trace worker: note when each of its messages reaches the page.
  const NativeWorker = window.Worker;
  window.Worker = class BenchWorker extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (ev) => {
        const d = ev.data;
        B.worker.push({ t: performance.now(), type: d && d.type, call: d && d.call, phase: d && d.phase, fraction: d && d.fraction });
      });
    }
  };

  // Trusted input events carry the browser's input time in timeStamp (same clock as performance.now()).
  for (const type of ['mousedown', 'mouseup', 'click', 'change']) {
    window.addEventListener(type, (e) => {
      B.inputs.push({ type, t: e.timeStamp, at: performance.now(), trusted: e.isTrusted, target: e.target && e.target.getAttribute ? e.target.getAttribute('data-testid') : null });
    }, true);
  }

  // The first paint after a DOM change: the next animation frame, then the task after it (past the paint).
  B.afterPaint = () => new Promise((resolve) => {
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => resolve(performance.now());
      ch.port2.postMessage(0);
    });
  });
  B.frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));

  const watchFirstRow = () => {
    const observer = new MutationObserver(() => {
      if (B.marks.firstRowInDom || !document.querySelector(ROW)) return;
      B.marks.firstRowInDom = performance.now();
      observer.disconnect();
      B.afterPaint().then((t) => { B.marks.firstRowPainted = t; });
    });
    // The document node itself: its <html> may not exist yet when this runs.
    observer.observe(document, { childList: true, subtree: true });
  };
  watchFirstRow();

  B.rowCount = () => document.querySelectorAll(ROW).length;

  // Arm before the click, await after it: resolves when the row count differs from the armed count.
  B.armRowsChange = (timeoutMs) => {
    const before = B.rowCount();
    B.rowsChange = new Promise((resolve) => {
      let done = false;
      const finish = (changed) => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        const changedAt = performance.now();
        B.afterPaint().then((paintedAt) => resolve({ before, after: B.rowCount(), changed, changedAt, paintedAt }));
      };
      const observer = new MutationObserver(() => {
        if (B.rowCount() !== before) finish(true);
      });
      observer.observe(document.body, { childList: true, subtree: true });
      const timer = setTimeout(() => finish(false), timeoutMs);
    });
    return before;
  };

  // Arm before the action, await after it: resolves when \`selector\` is (present) / is not (!present) in the DOM.
  B.armPresence = (selector, present, timeoutMs) => {
    B.presence = new Promise((resolve) => {
      let done = false;
      const test = () => Boolean(document.querySelector(selector)) === present;
      const finish = (changed) => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearTimeout(timer);
        const changedAt = performance.now();
        B.afterPaint().then((paintedAt) => resolve({ before: 0, after: 0, changed, changedAt, paintedAt }));
      };
      const observer = new MutationObserver(() => {
        if (test()) finish(true);
      });
      observer.observe(document.body, { childList: true, subtree: true });
      const timer = setTimeout(() => finish(false), timeoutMs);
      if (test()) finish(true);
    });
  };

  B.startFrames = () => {
    const f = (B.frames = { deltas: [], last: 0, on: true, started: performance.now() });
    const tick = (t) => {
      if (!f.on) return;
      if (f.last) f.deltas.push(t - f.last);
      f.last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    return f.started;
  };
  B.stopFrames = () => {
    const f = B.frames;
    if (!f) return { deltas: [], started: 0, stopped: performance.now() };
    f.on = false;
    return { deltas: f.deltas, started: f.started, stopped: performance.now() };
  };
})();`;

/** The shape of window.__bench as the measuring code reads it back. */
export interface PageLongTask {
  readonly start: number;
  readonly duration: number;
}

export interface PageLoaf {
  readonly start: number;
  readonly duration: number;
  readonly blocking: number;
  readonly renderStart: number;
  readonly styleAndLayoutStart: number;
  readonly scripts: readonly {
    readonly invoker: string;
    readonly invokerType: string;
    readonly start: number;
    readonly duration: number;
    readonly forcedStyleAndLayout: number;
    readonly sourceURL: string;
    readonly sourceFunctionName: string;
    readonly sourceCharPosition: number;
  }[];
}

export interface PageEventTiming {
  readonly name: string;
  readonly start: number;
  readonly duration: number;
  readonly processingStart: number;
  readonly processingEnd: number;
  readonly interactionId: number;
}

export interface PageWorkerMessage {
  readonly t: number;
  readonly type: string;
  /** For a 'result': the call it answers (load, openTrace, …). */
  readonly call?: string;
  readonly phase?: string;
  readonly fraction?: number;
}

export interface PageInput {
  readonly type: string;
  readonly t: number;
  readonly at: number;
  readonly trusted: boolean;
  readonly target: string | null;
}

export interface RowsChange {
  readonly before: number;
  readonly after: number;
  readonly changed: boolean;
  readonly changedAt: number;
  readonly paintedAt: number;
}

export interface FrameRecording {
  readonly deltas: readonly number[];
  readonly started: number;
  readonly stopped: number;
}
