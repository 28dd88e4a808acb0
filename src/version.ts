import { readFileSync } from 'node:fs';

// The Kubernetes API level navis serves (ARCHITECTURE.md, Compatibility target).
export const kubernetesVersion = { major: '1', minor: '32', patch: '0' } as const;

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const navisVersion: string = pkg.version;

/** The `gitVersion` reported by /version, e.g. `v1.32.0+navis`. */
export const gitVersion = `v${kubernetesVersion.major}.${kubernetesVersion.minor}.${kubernetesVersion.patch}+navis`;
