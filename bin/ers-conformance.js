#!/usr/bin/env node
// Entry point: load the TypeScript CLI through tsx (a runtime dependency), so `npm ci` is the only build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
