#!/usr/bin/env node
// The installed `latentlens` command: registers tsx so Node can load the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./latentlens.ts');
process.exitCode = await main(process.argv.slice(2));
