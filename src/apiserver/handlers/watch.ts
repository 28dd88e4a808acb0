// Watch (upstream's endpoints/handlers/watch.go + the cacher): a stream of JSON
// `{"type": ..., "object": ...}` lines from the watch cache, with the list-then-watch semantics of
// resourceVersion, selectors applied to each event, bookmarks and timeouts.
import type { KubeObject } from '../../api/meta.ts';
import { expired, StatusError } from '../../api/status.ts';
import { isStorageError, prefixEnd } from '../../storage/index.ts';
import { toCachedEvent, type CachedEvent } from '../rest/watch-cache.ts';
import { listFilter, listOptions } from '../rest/selectors.ts';
import { type Handling, withTypeMeta } from './objects.ts';
import { tableRequested, toTable } from './table.ts';

/** Upstream's default: a random timeout between the min request timeout (30 min) and twice that. */
const minRequestTimeoutSeconds = 1800;
const bookmarkIntervalMs = 60_000;

/** Encoded event lines per cached object (shared by all watchers), dropped with the object. */
const encoded = new WeakMap<KubeObject, Map<string, string>>();

export async function watchObjects(h: Handling): Promise<void> {
  const { def, storageDef, objects, cache } = h.served;
  // A HEAD carries no body, so there is no stream to keep open.
  if (h.ctx.method === 'HEAD') {
    h.ctx.send(200, {});
    return;
  }
  const opts = listOptions(h.ctx.query, storageDef, h.info.name, def.fieldLabels);
  const filter = listFilter(storageDef, opts);
  const namespace = def.namespaced && h.info.namespace !== '' ? h.info.namespace : undefined;
  const inScope = (o: KubeObject): boolean => namespace === undefined || o.metadata.namespace === namespace;
  const table = tableRequested(h.ctx.header('accept'));
  const bookmarks = h.ctx.query.get('allowWatchBookmarks') === 'true';
  const timeoutParam = Number(h.ctx.query.get('timeoutSeconds') ?? '');
  const timeoutSeconds =
    Number.isFinite(timeoutParam) && timeoutParam > 0
      ? timeoutParam
      : minRequestTimeoutSeconds * (1 + Math.random());

  const rv = h.ctx.query.get('resourceVersion') ?? '';
  const since = rv === '' || rv === '0' ? undefined : Number(rv);
  if (since !== undefined && !Number.isInteger(since)) {
    throw new StatusError(expired(`too old resource version: ${rv}`));
  }

  // Lines queue up here and are written in order, with back-pressure from the client.
  const lines: string[] = [];
  let wake: (() => void) | undefined;
  let failed: unknown;
  let sentHeaders = false;
  const push = (line: string): void => {
    lines.push(line);
    wake?.();
  };

  const encode = (type: string, obj: KubeObject): string => {
    if (table !== undefined) {
      const t = toTable(storageDef, [obj], {
        includeObject: table,
        resourceVersion: obj.metadata.resourceVersion ?? '',
        noHeaders: sentHeaders,
      });
      sentHeaders = true;
      return `${JSON.stringify({ type, object: t })}\n`;
    }
    // Every watcher of this version gets the same line for the same event: encode it once.
    const key = `${type} ${def.group}/${def.version}`;
    let cachedLines = encoded.get(obj);
    const hit = cachedLines?.get(key);
    if (hit !== undefined) return hit;
    const line = `${JSON.stringify({ type, object: withTypeMeta(def, obj) })}\n`;
    if (cachedLines === undefined) encoded.set(obj, (cachedLines = new Map()));
    cachedLines.set(key, line);
    return line;
  };

  // Upstream filters with the old and new object: an object that stops matching is DELETED for this
  // watcher, one that starts matching is ADDED.
  const onEvents = (events: readonly CachedEvent[]): void => {
    for (const e of events) {
      const now = inScope(e.object) && filter(e.object);
      const before = e.prevObject !== undefined && inScope(e.prevObject) && filter(e.prevObject);
      if (e.type === 'DELETED') {
        if (before || now) push(encode('DELETED', e.object));
      } else if (now && !before) push(encode('ADDED', e.object));
      else if (now && before) push(encode('MODIFIED', e.object));
      else if (!now && before) push(encode('DELETED', e.object));
    }
  };

  let from: number;
  if (since === undefined) {
    // No version: the current state as ADDED events, then every change after it.
    const list = await objects.list({ namespace, filter });
    for (const o of list.items) push(encode('ADDED', o));
    from = list.revision;
  } else {
    from = since;
  }

  const subscriber = {
    onEvents,
    onError: (e: unknown) => {
      failed = e;
      wake?.();
    },
  };
  let subscription = cache.subscribe(from, subscriber);
  let direct: AbortController | undefined;
  if (subscription === undefined) {
    // Older than the cache's window: read the history from the store, or 410 if it is compacted.
    if (from < objects.store.compactedRevision()) {
      throw new StatusError(
        expired(`too old resource version: ${from} (${objects.store.compactedRevision()})`),
      );
    }
    direct = new AbortController();
    const w = objects.store.watch(
      {
        key: objects.prefix(namespace),
        rangeEnd: prefixEnd(objects.prefix(namespace)),
        startRevision: from + 1,
      },
      direct.signal,
    );
    (async () => {
      try {
        for await (const batch of w) onEvents(batch.map(toCachedEvent));
      } catch (e: unknown) {
        subscriber.onError(e);
      }
    })();
    subscription = { close: () => direct?.abort() };
  }

  h.ctx.startStream();
  // Ends at the timeout, when the client goes away, or when the server shuts down.
  let done = false;
  const finish = (): void => {
    done = true;
    wake?.();
  };
  const timer = setTimeout(finish, timeoutSeconds * 1000);
  timer.unref();
  h.ctx.signal.addEventListener('abort', finish, { once: true });
  const bookmarkTimer = bookmarks
    ? setInterval(() => {
        const revision = Math.max(from, cache.revision);
        push(
          `${JSON.stringify({
            type: 'BOOKMARK',
            object: {
              kind: def.kind,
              apiVersion: withTypeMeta(def, { metadata: {} }).apiVersion,
              metadata: { resourceVersion: String(revision) },
            },
          })}\n`,
        );
      }, bookmarkIntervalMs)
    : undefined;
  bookmarkTimer?.unref();

  try {
    while (!done) {
      if (lines.length > 0) {
        const chunk = lines.join('');
        lines.length = 0;
        await h.ctx.write(chunk);
        continue;
      }
      if (failed !== undefined) {
        const status = isStorageError(failed, 'compacted')
          ? expired('The resourceVersion for the provided watch is too old.')
          : expired(
              `watch of ${def.resource} ended: ${failed instanceof Error ? failed.message : String(failed)}`,
            );
        await h.ctx.write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        break;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    subscription.close();
    if (bookmarkTimer !== undefined) clearInterval(bookmarkTimer);
    clearTimeout(timer);
    h.ctx.signal.removeEventListener('abort', finish);
    h.ctx.end();
  }
}
