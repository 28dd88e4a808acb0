import { Command, Option } from 'commander';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Level } from '../log.ts';
import { runServer } from '../server/run.ts';
import { gitVersion, navisVersion } from '../version.ts';

/** k3s keeps its state under /var/lib/rancher/k3s as root, ~/.rancher/k3s otherwise. */
function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/navis' : join(homedir(), '.navis');
}

/** Ends when SIGINT or SIGTERM arrives: the commands' shutdown signal. */
function shutdownSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}

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

  program
    .command('server')
    .description('run the control plane: API server on the revisioned store (a one-node cluster)')
    .option('--data-dir <dir>', 'folder for the database, certificates and kubeconfig', defaultDataDir())
    .option('--bind-address <addr>', 'address the API server listens on', '0.0.0.0')
    .option('--https-port <port>', 'port the API server listens on', (v) => Number.parseInt(v, 10), 6443)
    .option(
      '--datastore-endpoint <endpoint>',
      'sqlite:///path/to/state.db (default: DATA_DIR/db/state.db) or memory://',
    )
    .option('--write-kubeconfig <file>', 'also write the admin kubeconfig here')
    .option('--service-cidr <cidr>', 'virtual IP range for Services', '10.43.0.0/16')
    .option('--disable-scheduler', "do not run the scheduler (as k3s's flag)")
    .option(
      '--controllers <list>',
      "controllers to run, as kube-controller-manager's flag: '*' is all, 'name' enables, '-name' disables",
      (v) =>
        v
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .action(
      async (opts: {
        dataDir: string;
        bindAddress: string;
        httpsPort: number;
        datastoreEndpoint?: string;
        writeKubeconfig?: string;
        serviceCidr: string;
        controllers?: string[];
        disableScheduler?: boolean;
        logLevel: Level;
      }) => {
        await runServer({ ...opts, log: createLogger({ level: opts.logLevel }) }, shutdownSignal());
      },
    );

  return program;
}
