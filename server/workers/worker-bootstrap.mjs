// A worker thread's entry: registers tsx (the server runs from its TypeScript sources, and a worker
// does not inherit the parent's loader), then runs the TypeScript module `workerData.entry` names.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
