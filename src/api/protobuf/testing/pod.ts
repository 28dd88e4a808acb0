// Pod building blocks for tests, written as gogo-protobuf writes them, with the JSON Go writes for
// them.
import { concat, pb } from './encode.ts';

const { string: str, varint: int, message: msg, entry } = pb;

// A container as gogo writes it: its strings and bools even when empty, `resources` as a struct.
export const container = (num: number, name: string, image: string, ...extra: Uint8Array[]): Uint8Array =>
  msg(
    num,
    str(1, name),
    str(2, image),
    str(5, ''),
    msg(8),
    str(13, ''),
    str(14, ''),
    int(16, false),
    int(17, false),
    int(18, false),
    str(20, ''),
    ...extra,
  );
// PodSpec's non-pointer scalars, as gogo writes them.
export const podSpecScalars = concat(
  str(3, ''),
  str(6, ''),
  str(8, ''),
  str(9, ''),
  str(10, ''),
  int(11, false),
  int(12, false),
  int(13, false),
  str(16, ''),
  str(17, ''),
  str(19, ''),
  str(24, ''),
);
/** A PodTemplateSpec (labels app=db, one postgres container) as field `num`. */
export const template = (num: number): Uint8Array =>
  msg(
    num,
    msg(1, str(1, ''), msg(8), entry(11, 'app', str(2, 'db'))),
    msg(2, container(2, 'db', 'postgres'), podSpecScalars),
  );
export const templateJson = {
  metadata: { creationTimestamp: null, labels: { app: 'db' } },
  spec: { containers: [{ name: 'db', image: 'postgres', resources: {} }] },
};
/** A LabelSelector matching app=db as field `num`. */
export const selector = (num: number): Uint8Array => msg(num, entry(1, 'app', str(2, 'db')));
/** The JSON of a PodTemplateSpec absent from the wire. */
export const emptyTemplate = { metadata: { creationTimestamp: null }, spec: { containers: null } };
