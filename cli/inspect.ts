#!/usr/bin/env -S node --import tsx
// Entry point of `spanscope-inspect`; the logic is in inspect-lib.ts.
import { runInspect } from './inspect-lib.ts';

process.exitCode = await runInspect(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
