// What the CLI commands share: reading a trace file as bytes, loading it, and turning a failure into
// the one line a terminal user reads.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { loadBytes } from '../src/core/import/index.ts';
import { LoadError } from '../src/core/import/load-error.ts';
import type { TraceCollection } from '../src/core/model/trace-model.ts';

/** Exit codes of every command. */
export const EXIT_OK = 0;
/** The input is not a readable trace (invalid JSON, unknown format, no spans…). */
export const EXIT_BAD_INPUT = 1;
/** Wrong arguments, or the file cannot be opened. */
export const EXIT_USAGE = 2;

/** Where a command writes; tests pass string collectors, the entry points pass the process streams. */
export interface CliOutput {
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * `spanscope-inspect big.json | head`: when the reader closes the pipe, the next write fails with
 * EPIPE, which Node throws as an unhandled 'error' event with a stack trace. A closed stdout means
 * nobody reads on: end quietly, as Unix tools do, with the exit code already decided (0 if none).
 */
export function endQuietlyWhenStdoutCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
  });
}

/** Thrown for --help: prints the usage on stdout and exits 0. */
export function helpRequested(): CliFailure {
  return new CliFailure('help', EXIT_OK, true);
}

/** A failure the command reports with one stderr line and an exit code. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    /** Print the usage text after the message. */
    readonly showUsage = false,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * The whole file as bytes. Read in pieces into one buffer because readFileSync stops at 2 GiB, while a
 * Buffer can hold up to 4 GiB.
 */
export function readInputFile(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new CliFailure(`cannot open ${path}: ${why}`, EXIT_USAGE, code === 'ENOENT');
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new CliFailure(`cannot read ${path}: is a directory`, EXIT_USAGE);
    const bytes = Buffer.allocUnsafe(stat.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 30), at);
      if (n === 0) break;
      at += n;
    }
    return at === bytes.length ? bytes : bytes.subarray(0, at);
  } catch (err) {
    if (err instanceof CliFailure) throw err;
    throw new CliFailure(`cannot read ${path}: ${(err as Error).message}`, EXIT_USAGE);
  } finally {
    closeSync(fd);
  }
}

/** Loads a trace file; a LoadError becomes a CliFailure with its reason on one line. */
export async function loadTraceFile(path: string): Promise<TraceCollection> {
  const bytes = readInputFile(path);
  try {
    return await loadBytes(bytes, { fileName: basename(path) });
  } catch (err) {
    throw new CliFailure(`${path}: ${describeLoadFailure(err)}`, EXIT_BAD_INPUT);
  }
}

/** "Invalid JSON at line 3, column 7: expected "," or "}" … (byte 42): …context…" — always one line. */
export function describeLoadFailure(err: unknown): string {
  if (err instanceof LoadError) {
    const { message, detail } = err.info;
    return oneLine(detail ? `${message}: ${detail}` : message);
  }
  return oneLine(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Runs a command body: prints a failure as one stderr line (plus usage when asked) and returns the exit code. */
export async function runCommand(out: CliOutput, usage: string, prog: string, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof CliFailure)) throw err;
    if (err.exitCode === EXIT_OK) {
      // --help: the usage is the output.
      out.stdout.write(usage);
      return EXIT_OK;
    }
    out.stderr.write(`${prog}: ${err.message}\n`);
    if (err.showUsage) out.stderr.write(usage);
    return err.exitCode;
  }
}
