#!/usr/bin/env -S node --import tsx
// Entry point of `spanscope-convert`; the logic is in convert-lib.ts.
import { endQuietlyWhenStdoutCloses } from './cli-io.ts';
import { runConvert } from './convert-lib.ts';

endQuietlyWhenStdoutCloses();

process.exitCode = await runConvert(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
