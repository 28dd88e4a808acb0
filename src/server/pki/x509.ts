// The one place that loads @peculiar/x509. The polyfill import must come first: ES modules
// evaluate their imports in order, and the library's tsyringe dependency checks for
// Reflect.getMetadata as soon as it loads (see ./reflect-metadata.ts).
import './reflect-metadata.ts';
import * as x509 from '@peculiar/x509';

// Node 24 has WebCrypto on globalThis, which the library picks up as its default provider.
// Fail at load with a clear message instead of at first use deep inside a signing call.
if (!x509.cryptoProvider.has(x509.CryptoProvider.DEFAULT)) {
  throw new Error('pki: WebCrypto (globalThis.crypto) is not available');
}

export { x509 };
