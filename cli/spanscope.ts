#!/usr/bin/env -S node --import tsx
// `spanscope <command>`: serve, inspect, convert.
import { endQuietlyWhenStdoutCloses } from './cli-io.ts';
import { runConvert } from './convert-lib.ts';
import { runInspect } from './inspect-lib.ts';
import { runServe } from './serve-lib.ts';

const USAGE = `Usage: spanscope <command> [options]

Commands:
  serve     serve the app and its API (spanscope serve --help)
  inspect   summarize a trace file (spanscope inspect --help)
  convert   convert a trace file to OTLP or Jaeger JSON (spanscope convert --help)`;

endQuietlyWhenStdoutCloses();
const [command, ...args] = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr };
if (command === 'serve') {
  const result = await runServe(args, process.stdout, process.stderr);
  if (typeof result === 'number') process.exitCode = result;
  else {
    const stop = () => void result.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} else if (command === 'inspect') process.exitCode = await runInspect(args, io);
else if (command === 'convert') process.exitCode = await runConvert(args, io);
else if (command === '--help' || command === '-h' || command === undefined) {
  (command ? process.stdout : process.stderr).write(`${USAGE}\n`);
  process.exitCode = command ? 0 : 2;
} else {
  process.stderr.write(`spanscope: unknown command "${command}"\n\n${USAGE}\n`);
  process.exitCode = 2;
}
