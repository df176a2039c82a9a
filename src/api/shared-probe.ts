/**
 * A probe that many requests may ask for at once, shared: callers that arrive while a call is in
 * flight wait for that call, and an answer is reused for `freshMs` after it came. The venue report
 * starts a short workflow on a worker; a load balancer probing /health every second from several
 * places would otherwise start a workflow per probe. Failures are not reused: the next caller
 * asks again.
 */
export function sharedProbe<T>(probe: () => Promise<T>, freshMs: number, now: () => number = Date.now) {
  let inFlight: Promise<T> | undefined;
  let last: { value: T; at: number } | undefined;
  return (): Promise<T> => {
    if (last !== undefined && now() - last.at < freshMs) return Promise.resolve(last.value);
    if (inFlight !== undefined) return inFlight;
    const call = probe().then(
      (value) => {
        last = { value, at: now() };
        inFlight = undefined;
        return value;
      },
      (err: unknown) => {
        inFlight = undefined;
        throw err;
      },
    );
    inFlight = call;
    return call;
  };
}
