// Injected into every benchmarked page before its own scripts run (page.addInitScript), the same
// for both pages. It records, in the page's own clock (performance.now(), from navigation start):
// - `ready`: the first animation frame at which the code field is in the DOM (or an open shadow
//   root) and "Send code" is enabled: the first thing a shopper can do. (The widget keeps its field
//   disabled until a code was sent, and the comparator does the same.)
// - long tasks (PerformanceObserver 'longtask');
// - the WebAssembly memories the page creates (instances' exported memories and `new Memory`),
//   and when its first instance was made;
// - keystroke latency: from a digit's keydown to the first animation frame at which the shown
//   code has changed (the field's value, or the text of the slots when `slots` is a selector).
// `slots`: CSS selector of the elements that draw the digits, or null when the field shows them.
export function benchProbe({ slots }) {
  const bench = (window.__bench = { ready: null, instantiated: null, longTasks: [], memories: [], keystrokes: [] });

  /** Every element matching `selector` in the document and in open shadow roots. */
  function deepAll(selector, root = document) {
    const found = [...root.querySelectorAll(selector)];
    for (const element of root.querySelectorAll("*")) {
      if (element.shadowRoot) found.push(...deepAll(selector, element.shadowRoot));
    }
    return found;
  }
  const field = () => deepAll('input[autocomplete="one-time-code"]')[0] ?? null;
  const sendButton = () => deepAll("button").find((b) => b.textContent.trim() === "Send code");
  bench.shown = () => (slots ? deepAll(slots).map((slot) => slot.textContent).join("") : field()?.value ?? "");

  // Ready: polled once a frame until the field and an enabled "Send code" are there.
  let markReady;
  bench.readyPromise = new Promise((resolve) => (markReady = resolve));
  const poll = () => {
    const send = sendButton();
    if (field() && send && !send.disabled) {
      bench.ready = performance.now();
      markReady(bench.ready);
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);

  // Long tasks: the observer's records, taken on demand (takeRecords gets the queued ones).
  const observer = new PerformanceObserver((list) => bench.longTasks.push(...list.getEntries()));
  observer.observe({ type: "longtask", buffered: true });
  bench.longTasksBefore = (time) => {
    bench.longTasks.push(...observer.takeRecords());
    return bench.longTasks.filter((t) => t.startTime < time).map((t) => t.duration);
  };

  // WebAssembly memories: found where instances are made, without changing what they do.
  const memories = bench.memories;
  const keep = (instance) => {
    bench.instantiated ??= performance.now(); // the first instance: the module compiled and ran
    for (const value of Object.values(instance?.exports ?? {})) {
      if (value instanceof WebAssembly.Memory && !memories.includes(value)) memories.push(value);
    }
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = function (...args) {
      return original.apply(this, args).then((result) => {
        keep(result instanceof WebAssembly.Instance ? result : result.instance);
        return result;
      });
    };
  }
  WebAssembly.Memory = new Proxy(WebAssembly.Memory, {
    construct(target, args) {
      const memory = new target(...args);
      memories.push(memory);
      return memory;
    },
  });
  WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args) {
      const instance = new target(...args);
      keep(instance);
      return instance;
    },
  });
  bench.wasmBytes = () => memories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0);

  // Keystrokes: a digit's keydown (the event's own time) to the frame that shows it.
  const waiters = [];
  addEventListener(
    "keydown",
    (event) => {
      if (!/^[0-9]$/.test(event.key)) return;
      const before = bench.shown();
      const start = event.timeStamp;
      const frame = () => {
        if (bench.shown() === before) return requestAnimationFrame(frame);
        bench.keystrokes.push(performance.now() - start);
        for (const waiter of waiters.splice(0)) waiter();
      };
      requestAnimationFrame(frame);
    },
    true,
  );
  /** Resolves once `count` keystrokes have been measured. */
  bench.keystrokesMeasured = (count) =>
    new Promise(function check(resolve) {
      if (bench.keystrokes.length >= count) resolve();
      else waiters.push(() => check(resolve));
    });
  /** Resolves once the shown code is `text` (checked once a frame). */
  bench.shows = (text) =>
    new Promise(function check(resolve) {
      if (bench.shown() === text) resolve();
      else requestAnimationFrame(() => check(resolve));
    });
}
