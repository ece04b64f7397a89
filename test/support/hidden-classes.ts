import { setFlagsFromString } from 'node:v8';

// V8's own test for "the same hidden class". The flag lets functions compiled from here on use it.
setFlagsFromString('--allow-natives-syntax');

/**
 * Whether two objects share V8's hidden class. Objects made on a hot path (one per request or
 * event) should: a hidden class of their own is allocated in the old generation, and only a
 * full collection frees it.
 */
const haveSameHiddenClass = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/**
 * Whether all the objects share the first one's hidden class. Make a few dozen: V8 changes how
 * it builds objects at a call site after its first few calls (with a spread, after about eight).
 */
export function shareOneHiddenClass(objects: readonly object[]): boolean {
  return objects.every((object) => haveSameHiddenClass(object, objects[0]));
}
