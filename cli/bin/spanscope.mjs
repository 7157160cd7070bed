#!/usr/bin/env node
// Launcher for the installed bin: registers tsx relative to this package, then runs the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('../spanscope.ts');
