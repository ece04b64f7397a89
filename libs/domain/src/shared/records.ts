/**
 * `{ ...base, ...fields }`, built so that it shares V8's hidden class with every other object of
 * the same keys.
 *
 * On Node 20, an object literal that starts with a spread and then adds keys the spread object
 * lacks (`{ ...request, assessment }`) gets new hidden classes of its own on almost every call.
 * They are allocated in the old generation, where only a full collection frees them, and reads
 * of such objects' properties turn megamorphic. Copying onto a fresh `{}` follows the shared
 * transitions instead. Literals that only replace keys the spread object has (`{ ...card,
 * column }`) are not affected.
 */
export function extended<T extends object, U extends object>(base: T, fields: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, fields);
}
