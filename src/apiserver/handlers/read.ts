// The read verbs: get and list (upstream's endpoints/handlers get.go), an unpaged list streamed a
// store page at a time.
import { groupVersionString, type KubeObject } from '../../api/meta.ts';
import { listFilter, listOptions } from '../rest/selectors.ts';
import { decodeObject, servedText } from '../rest/object-store.ts';
import { tableRequested, toTable } from './table.ts';
import { type Handling, withTypeMeta, namespaceOf, sendObject } from './objects.ts';

export async function getObject(h: Handling): Promise<void> {
  const { def, objects } = h.served;
  const kv = await objects.getStored(namespaceOf(h), h.info.name);
  // The common case answers with the stored text (see servedText); tables, other versions and
  // subresources decode.
  if (def.conversion === undefined && h.info.subresource === '' && !tableRequested(h.ctx.header('accept'))) {
    const text = servedText(kv, groupVersionString(def.group, def.version), def.kind);
    if (text !== undefined) {
      h.ctx.sendJsonText(200, text);
      return;
    }
  }
  sendObject(h, 200, decodeObject(kv));
}

export async function listObjects(h: Handling): Promise<void> {
  const { def, objects, storageDef } = h.served;
  const opts = listOptions(h.ctx.query, storageDef, '', def.fieldLabels);
  const includeObject = tableRequested(h.ctx.header('accept'));
  if (
    opts.limit === undefined &&
    opts.continueToken === undefined &&
    includeObject === undefined &&
    h.ctx.method !== 'HEAD'
  ) {
    await streamList(h, listFilter(storageDef, opts), opts.exactRevision);
    return;
  }
  const result = await objects.list({
    namespace: namespaceOf(h),
    limit: opts.limit,
    continueToken: opts.continueToken,
    revision: opts.exactRevision,
    filter: listFilter(storageDef, opts),
  });
  if (includeObject !== undefined) {
    h.ctx.send(
      200,
      toTable(storageDef, result.items, {
        includeObject:
          (h.ctx.query.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? includeObject,
        resourceVersion: String(result.revision),
        continueToken: result.continueToken,
        remainingItemCount: result.remainingItemCount,
      }),
    );
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(result.revision) };
  if (result.continueToken !== undefined) metadata['continue'] = result.continueToken;
  if (result.remainingItemCount !== undefined) metadata['remainingItemCount'] = result.remainingItemCount;
  h.ctx.send(200, {
    kind: `${def.kind}List`,
    apiVersion: groupVersionString(def.group, def.version),
    metadata,
    items: result.items.map((o) => withTypeMeta(def, o)),
  });
}

/**
 * An unpaged list, written as it is read: a page of the store at a time is decoded, encoded and
 * sent, so memory stays flat however many objects there are (as upstream's streaming list encoder).
 */
async function streamList(
  h: Handling,
  filter: (obj: KubeObject) => boolean,
  exactRevision: number | undefined,
): Promise<void> {
  const { def, objects } = h.served;
  const pages = exactRevision === undefined ? objects.scan({ namespace: namespaceOf(h), filter }) : undefined;
  if (pages === undefined) {
    // resourceVersionMatch=Exact: the list at that revision, through the paging reader.
    const result = await objects.list({ namespace: namespaceOf(h), revision: exactRevision, filter });
    h.ctx.send(200, {
      kind: `${def.kind}List`,
      apiVersion: groupVersionString(def.group, def.version),
      metadata: { resourceVersion: String(result.revision) },
      items: result.items.map((o) => withTypeMeta(def, o)),
    });
    return;
  }
  // The first page is read before anything is sent, so an error still gets its Status.
  const first = await pages.next();
  const revision = first.done ? 0 : first.value.revision;
  const head = JSON.stringify({
    kind: `${def.kind}List`,
    apiVersion: groupVersionString(def.group, def.version),
    metadata: { resourceVersion: String(revision) },
  });
  h.ctx.startStream();
  await h.ctx.write(`${head.slice(0, -1)},"items":[`);
  let count = 0;
  const send = async (items: KubeObject[]): Promise<void> => {
    if (items.length === 0) return;
    const chunk = items.map((o) => JSON.stringify(withTypeMeta(def, o))).join(',');
    await h.ctx.write(count === 0 ? chunk : `,${chunk}`);
    count += items.length;
  };
  if (!first.done) await send(first.value.items);
  for await (const page of pages) await send(page.items);
  await h.ctx.write(']}');
  h.ctx.end();
}
