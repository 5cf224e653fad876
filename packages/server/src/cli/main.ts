#!/usr/bin/env node
import { runEnsign } from './entry.ts';

await runEnsign(process.argv);
