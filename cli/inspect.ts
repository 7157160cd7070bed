#!/usr/bin/env -S node --import tsx
// Entry point of `spanscope-inspect`; the logic is in inspect-lib.ts.
import { endQuietlyWhenStdoutCloses } from './cli-io.ts';
import { runInspect } from './inspect-lib.ts';

endQuietlyWhenStdoutCloses();

process.exitCode = await runInspect(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
