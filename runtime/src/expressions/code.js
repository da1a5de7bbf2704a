// The globals of a Code, Function or Function Item node run, over the expression PRELUDE's
// `$` (wrapped), `$node`, `$workflow` and `$execution`. `__weft_code(input, prevNode, log,
// staticData)` is called once per node run with the node's input items (converted once) and the
// execution's static data `{ global, node }`, and returns `call(kind, run, index)`, which calls
// the compiled user function `run` with the globals of `kind` for item `index`; `call.staticData()`
// gives the static data back as JSON after the run.
(() => {
  const setup = (input, prevNode, log, staticData) => {
    delete globalThis.__weft_code;
    const text = (value) => {
      if (typeof value === "string") return value;
      try {
        const json = JSON.stringify(value);
        return json === undefined ? String(value) : json;
      } catch {
        return String(value);
      }
    };
    const write = (...values) => log(values.map(text).join(" "));
    const console = { log: write, info: write, warn: write, error: write, debug: write };
    const getWorkflowStaticData = (type) => (type === "global" ? staticData.global : staticData.node);
    const copyOf = (item, index) => ({ ...JSON.parse(JSON.stringify(item)), index });
    const inputOf = (items, index) => ({
      all: () => items,
      first: () => items[0],
      last: () => items[items.length - 1],
      get item() { return items[index]; },
      params: {},
      context: {},
    });
    // `$('Node')` as in n8n's Code node: items the code may change. `.all()` is copied once per
    // node and node run, single items on each read (the expression lookup's items are frozen).
    const lookup = globalThis.$;
    const copy = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
    const lists = new Map();
    const $ = (node) => {
      const base = lookup(node);
      return {
        get item() { return copy(base.item); },
        itemMatching: (index) => copy(base.itemMatching(index)),
        first: () => copy(base.first()),
        last: () => copy(base.last()),
        all: () => {
          if (!lists.has(node)) lists.set(node, copy(base.all()));
          return lists.get(node);
        },
      };
    };
    const $items = (node) => (node === undefined ? input : $(node).all());
    const $vars = {};
    const proxyOf = (items) => (index) => ({
      $json: items[index]?.json,
      $binary: items[index]?.binary ?? {},
      $input: inputOf(items, index),
      $node,
      $workflow,
      $execution,
      $prevNode: prevNode,
      $vars,
    });
    let functionItems;
    const call = (kind, run, index) => {
      let items = input;
      let item;
      if (kind === "function") {
        functionItems ??= input.map(copyOf);
        items = functionItems;
      } else if (kind === "functionItem") {
        item = copyOf(input[index], index).json;
      } else if (kind === "codeEachItem") {
        item = input[index];
      }
      const current = items[index];
      return run.call(
        undefined,
        $,
        kind === "codeAllItems" || kind === "function" ? items : undefined,
        item,
        inputOf(items, index),
        current?.json,
        current?.binary ?? {},
        proxyOf(items),
        $items,
        prevNode,
        $vars,
        getWorkflowStaticData,
        getWorkflowStaticData,
        console,
      );
    };
    call.staticData = () => JSON.stringify(staticData);
    return call;
  };
  globalThis.__weft_code = setup;
})();
