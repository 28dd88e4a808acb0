#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from '../src/cli/program.ts';

// The one place that ends the process: commands return (or throw) and we translate that here.
const program = buildProgram({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});

try {
  await program.parseAsync(process.argv);
} catch (e: unknown) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`navis: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
