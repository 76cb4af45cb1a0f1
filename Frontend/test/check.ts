/**
 * The few assertions the node-run unit checks share: each counts itself, and the first failure
 * prints FAIL with its message and exits 1; `done()` prints "ok <n> checks" at the end.
 */
declare const process: { exit(code: number): never };

let checks = 0;

export function check(condition: unknown, message: string): void {
  checks += 1;
  if (!condition) {
    console.error(`FAIL: ${message}`);
    process.exit(1);
  }
}

/** Deep equality through JSON (plain data only). */
export function equal<T>(actual: T, expected: T, message: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${message}: expected ${e}, got ${a}`);
}

export function throws(fn: () => unknown, type: Function, message: string): void {
  try {
    fn();
  } catch (err) {
    check(err instanceof type, `${message}: threw ${String(err)}`);
    return;
  }
  check(false, `${message}: did not throw`);
}

export function done(): void {
  console.log(`ok ${checks} checks`);
}
