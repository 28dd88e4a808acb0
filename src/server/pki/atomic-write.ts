// Crash-safe file replacement for keys, certificates and kubeconfigs: a reader (kubectl, a
// restarting server) sees the old file or the new one, never a torn or empty one. As k3s's
// util.AtomicWrite: write a temporary file in the same directory, flush it, rename it over.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // 'wx' refuses to follow a planted file or symlink; the mode is set at creation so secret
  // contents are never readable by others, and chmod'ed again because open()'s mode is masked
  // by the umask.
  const file = await open(tmp, 'wx', mode);
  try {
    await file.chmod(mode);
    await file.writeFile(data, 'utf8');
    await file.sync();
  } catch (e: unknown) {
    await file.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (e: unknown) {
    await rm(tmp, { force: true });
    throw e;
  }
}
