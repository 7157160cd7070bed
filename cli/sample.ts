#!/usr/bin/env -S node --import tsx
// Entry point of `npm run sample` / `spanscope-sample`; the logic is in sample-lib.ts.
import { endQuietlyWhenStdoutCloses } from './cli-io.ts';
import { runSample } from './sample-lib.ts';

endQuietlyWhenStdoutCloses();

process.exitCode = await runSample(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
