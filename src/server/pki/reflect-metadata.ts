// @peculiar/x509 v2 depends on tsyringe, which throws at load time unless a Reflect metadata
// polyfill (reflect-metadata, core-js, @abraham/reflection) was installed first: see the x509
// README, "Reflect Polyfill Required", and PeculiarVentures/x509#116. The library only uses
// tsyringe to construct its algorithm classes, none of which take constructor arguments, so
// `design:paramtypes` is never present and a small per-object metadata map is all it needs.
// Writing these few lines avoids a dependency; they are installed only when missing, so a real
// polyfill loaded earlier wins. Import this module through ./x509.ts, never on its own.

type MetadataKey = unknown;
type PropertyKeyOrNone = string | symbol | undefined;

interface ReflectMetadataApi {
  defineMetadata(key: MetadataKey, value: unknown, target: object, property?: PropertyKeyOrNone): void;
  getOwnMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): unknown;
  getMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): unknown;
  hasOwnMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): boolean;
  hasMetadata(key: MetadataKey, target: object, property?: PropertyKeyOrNone): boolean;
}

// target -> property (undefined for the target itself) -> metadata key -> value
const store = new WeakMap<object, Map<PropertyKeyOrNone, Map<MetadataKey, unknown>>>();

function ownMap(
  target: object,
  property: PropertyKeyOrNone,
  create: boolean,
): Map<MetadataKey, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let byKey = byProperty.get(property);
  if (!byKey && create) {
    byKey = new Map();
    byProperty.set(property, byKey);
  }
  return byKey;
}

// getMetadata/hasMetadata walk the prototype chain, as the reflect-metadata proposal specifies.
function findInChain(
  key: MetadataKey,
  target: object,
  property: PropertyKeyOrNone,
): Map<MetadataKey, unknown> | undefined {
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const map = ownMap(o, property, false);
    if (map?.has(key)) return map;
  }
  return undefined;
}

const api: ReflectMetadataApi = {
  defineMetadata: (key, value, target, property) => {
    ownMap(target, property, true)!.set(key, value);
  },
  getOwnMetadata: (key, target, property) => ownMap(target, property, false)?.get(key),
  getMetadata: (key, target, property) => findInChain(key, target, property)?.get(key),
  hasOwnMetadata: (key, target, property) => ownMap(target, property, false)?.has(key) ?? false,
  hasMetadata: (key, target, property) => findInChain(key, target, property) !== undefined,
};

const reflect = Reflect as unknown as Partial<ReflectMetadataApi>;
if (typeof reflect.getMetadata !== 'function') {
  for (const [name, fn] of Object.entries(api)) {
    Object.defineProperty(Reflect, name, { value: fn, writable: true, configurable: true });
  }
}
