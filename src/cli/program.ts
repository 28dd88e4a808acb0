import { Command } from 'commander';
import { gitVersion, navisVersion } from '../version.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Builds the `navis` command line. Sub-commands register themselves here as their issues land;
 * each one's action returns a promise that the entry point awaits.
 */
export function buildProgram(output: Output): Command {
  const program = new Command('navis')
    .description('navis: Kubernetes, written in TypeScript')
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .showHelpAfterError()
    .exitOverride();

  program
    .command('version')
    .description('print the navis version and the Kubernetes version it serves')
    .action(() => {
      output.out(`navis version v${navisVersion} (kubernetes ${gitVersion})\n`);
      output.out(`node ${process.version}\n`);
    });

  return program;
}
