//! JavaScript for expressions, in an embedded QuickJS (`rquickjs`): one runtime and one context
//! per run with n8n's library (`library/`) installed, no module loader and no host functions but
//! the library's and the data lookup (whose `.all()` lists are
//! converted once per list and shared, copy-on-write), so there is no file,
//! network or process access; a memory limit, and an interrupt handler that stops an evaluation
//! after its time limit.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono_tz::Tz;
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Runtime};
use serde_json::{Map, Value};

use super::library;
use super::scope::{Query, Scope};
use super::shared_lists::{REMEMBERED, SharedLists};

/// Memory one run's expressions may use. Room for a converted `.all()` list of 100,000 small
/// items (about 200 MiB in QuickJS, measured by the benchmark's expressions scenario), and still
/// a bound on an expression that allocates without end.
const MEMORY_LIMIT: usize = 512 << 20;

/// n8n's globals, built on one host function `__weft_get(kind, node)` that answers a
/// [`Query`] with `"=" + JSON`, `"u"` (undefined) or `"!" + message` (thrown). For `.all()`,
/// `__weft_get("name:" + kind, node)` first answers the list's name (see [`SharedLists`]): a list
/// already converted comes from the cache without asking for its items again. Its items are
/// deep-frozen, and each call gets its own copy-on-write view of the array, so `.sort()` or
/// `.push()` in one expression works on a copy and never changes what the next item sees.
const PRELUDE: &str = r#"
(() => {
  const host = globalThis.__weft_get;
  delete globalThis.__weft_get;
  const get = (kind, node = "") => {
    const answer = host(kind, String(node));
    if (answer[0] === "!") throw new Error(answer.slice(1));
    return answer === "u" ? undefined : JSON.parse(answer.slice(1));
  };
  const freeze = (value) => {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const key of Object.keys(value)) freeze(value[key]);
    }
    return value;
  };
  const view = (items) => {
    let own;
    const read = () => own ?? items;
    const write = () => (own ??= Array.from(items));
    return new Proxy([], {
      get: (_, key) => Reflect.get(read(), key),
      set: (_, key, value) => Reflect.set(write(), key, value),
      has: (_, key) => Reflect.has(read(), key),
      deleteProperty: (_, key) => Reflect.deleteProperty(write(), key),
      defineProperty: (_, key, property) => Reflect.defineProperty(write(), key, property),
      ownKeys: () => Reflect.ownKeys(read()),
      getOwnPropertyDescriptor: (_, key) => {
        const property = Reflect.getOwnPropertyDescriptor(read(), key);
        return property && { ...property, writable: true, configurable: key !== "length" };
      },
    });
  };
  const lists = new Map();
  const all = (kind, node = "") => {
    const name = get("name:" + kind, node);
    let items = lists.get(name);
    if (items === undefined) {
      items = freeze(get(kind, node));
      if (lists.size >= REMEMBERED) lists.delete(lists.keys().next().value);
      lists.set(name, items);
    }
    return view(items);
  };
  const define = (name, read) => Object.defineProperty(globalThis, name, { get: read });
  globalThis.$ = (node) => ({
    get item() { return get("item", node); },
    itemMatching(index) { return get("itemMatching:" + Number(index), node); },
    first() { return get("first", node); },
    last() { return get("last", node); },
    all() { return all("all", node); },
  });
  globalThis.$node = new Proxy({}, {
    get: (_, node) => ({
      get json() { return get("at", node)?.json; },
      get context() { return get("context", node); },
    }),
  });
  globalThis.$items = (node, output = 0, run) => node === undefined
    ? get("inputAll")
    : get(`items:${output}:${run === undefined || run < 0 ? "" : run}`, node);
  define("$prevNode", () => get("prevNode") ?? {});
  define("$position", () => globalThis.$itemIndex);
  define("$json", () => get("json"));
  define("$input", () => ({
    get item() { return get("inputItem"); },
    first() { return get("inputFirst"); },
    last() { return get("inputLast"); },
    all() { return all("inputAll"); },
  }));
  globalThis.__weft_text = (value) => value === undefined || value === null ? ""
    : DateTime.isDateTime(value) ? value.toString()
    : value instanceof Date ? DateTime.fromJSDate(value).toISO()
    : typeof value === "object" ? JSON.stringify(value) : String(value);
})();
"#;

/// Facts about the run that expressions can read (`$workflow`, `$execution`).
#[derive(Clone, Debug)]
pub struct RunFacts {
    /// `$workflow`: `{ id, name, active }`.
    pub workflow: Value,
    /// `$execution`: `{ id, mode }`.
    pub execution: Value,
    /// The workflow's time zone (`Plan::zone()`): `$now`, `$today` and Luxon's default zone.
    pub zone: Tz,
}

impl RunFacts {
    /// The facts of a run of the workflow `document` in `mode` (`cli`, `trigger`) with
    /// execution id `execution_id`.
    pub fn new(document: &Value, mode: &str, execution_id: String) -> Self {
        Self {
            workflow: serde_json::json!({
                "id": document.get("id").cloned().unwrap_or(Value::Null),
                "name": document.get("name").cloned().unwrap_or(Value::Null),
                "active": mode == "trigger",
            }),
            execution: serde_json::json!({ "id": execution_id, "mode": mode }),
            zone: Tz::UTC,
        }
    }

    /// The same facts for a workflow running in `zone`.
    pub fn in_zone(self, zone: Tz) -> Self {
        Self { zone, ..self }
    }
}

/// The JavaScript engine of one run.
pub struct JsEngine {
    context: Context,
    scope: Arc<Mutex<Option<Scope>>>,
    deadline: Arc<Mutex<Option<Instant>>>,
    timeout: Duration,
}

/// How an evaluation's result is wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// The value itself (a template that is exactly one `{{ }}`).
    Value,
    /// The value as template text (`null`/`undefined` → `""`, objects as JSON).
    Text,
}

impl JsEngine {
    /// A fresh engine; each evaluation may run for `timeout`.
    pub fn new(facts: &RunFacts, timeout: Duration) -> Result<Self, String> {
        let runtime = Runtime::new().map_err(|error| error.to_string())?;
        runtime.set_memory_limit(MEMORY_LIMIT);
        let deadline: Arc<Mutex<Option<Instant>>> = Arc::default();
        let watched = Arc::clone(&deadline);
        runtime.set_interrupt_handler(Some(Box::new(move || {
            let deadline = watched.lock().unwrap_or_else(PoisonError::into_inner);
            deadline.is_some_and(|deadline| Instant::now() > deadline)
        })));
        let context = Context::full(&runtime).map_err(|error| error.to_string())?;
        let scope: Arc<Mutex<Option<Scope>>> = Arc::default();
        let answers = Arc::clone(&scope);
        let lists = Mutex::new(SharedLists::default());
        context
            .with(|ctx| {
                library::install(&ctx, facts.zone)?;
                let host = Function::new(ctx.clone(), move |kind: String, node: String| {
                    let mut lists = lists.lock().unwrap_or_else(PoisonError::into_inner);
                    answer(&answers, &mut lists, &kind, node)
                })?;
                ctx.globals().set("__weft_get", host)?;
                ctx.globals()
                    .set("$workflow", ctx.json_parse(facts.workflow.to_string())?)?;
                ctx.globals()
                    .set("$execution", ctx.json_parse(facts.execution.to_string())?)?;
                ctx.eval::<(), _>(PRELUDE.replace("REMEMBERED", &REMEMBERED.to_string()))
            })
            .map_err(|error| error.to_string())?;
        Ok(Self {
            context,
            scope,
            deadline,
            timeout,
        })
    }

    /// Evaluates `code` for `scope` with `extra` as further globals (removed again afterwards);
    /// `Ok(None)` is `undefined` (or a value JSON cannot hold).
    pub fn evaluate(
        &self,
        code: &str,
        scope: &Scope,
        extra: &Map<String, Value>,
        want: Want,
    ) -> Result<Option<Value>, String> {
        let source = match want {
            Want::Value => format!("(() => ({code}\n))()"),
            Want::Text => format!("__weft_text((() => ({code}\n))())"),
        };
        let result = self.within(scope, Instant::now() + self.timeout, |ctx| {
            let globals = ctx.globals();
            let run = || -> rquickjs::Result<Option<String>> {
                for (name, value) in extra {
                    globals.set(name.as_str(), ctx.json_parse(value.to_string())?)?;
                }
                let value: rquickjs::Value = ctx.eval(source)?;
                ctx.json_stringify(value)?
                    .map(|text| text.to_string())
                    .transpose()
            };
            let result = run().catch(ctx).map_err(|error| describe(ctx, error));
            for name in extra.keys() {
                globals
                    .remove(name.as_str())
                    .map_err(|error| error.to_string())?;
            }
            result
        });
        match result {
            Err(Halt::TimedOut) => Err(format!(
                "the expression ran longer than {} ms and was stopped (an endless loop?)",
                self.timeout.as_millis()
            )),
            Err(Halt::Failed(error)) => Err(error),
            Ok(None) => Ok(None),
            Ok(Some(text)) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|error| error.to_string()),
        }
    }

    /// Runs `work` in the engine's context with `scope` answering the data lookups (and as
    /// `$itemIndex`, `$runIndex`), stopping JavaScript at `deadline`.
    pub(super) fn within<R>(
        &self,
        scope: &Scope,
        deadline: Instant,
        work: impl FnOnce(&Ctx<'_>) -> Result<R, String>,
    ) -> Result<R, Halt> {
        *self.scope.lock().unwrap_or_else(PoisonError::into_inner) = Some(scope.clone());
        *self.deadline.lock().unwrap_or_else(PoisonError::into_inner) = Some(deadline);
        let result = self.context.with(|ctx| {
            let globals = ctx.globals();
            globals
                .set("$itemIndex", scope.item_index)
                .and_then(|()| globals.set("$runIndex", scope.run_index))
                .map_err(|error| error.to_string())?;
            work(&ctx)
        });
        let timed_out = self
            .deadline
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .is_some_and(|deadline| Instant::now() > deadline);
        *self.scope.lock().unwrap_or_else(PoisonError::into_inner) = None;
        match result {
            _ if timed_out => Err(Halt::TimedOut),
            Err(error) => Err(Halt::Failed(error)),
            Ok(value) => Ok(value),
        }
    }
}

/// Why [`JsEngine::within`] gave no result.
#[derive(Debug)]
pub(super) enum Halt {
    /// JavaScript ran past the deadline and was stopped.
    TimedOut,
    /// The work failed (the JavaScript error, described).
    Failed(String),
}

/// The host function's answer for one query, or with `name:` before the kind, the name of the
/// list an `.all()` query answers.
fn answer(
    scope: &Mutex<Option<Scope>>,
    lists: &mut SharedLists,
    kind: &str,
    node: String,
) -> String {
    let scope = scope.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(scope) = scope.as_ref() else {
        return "!no item is being evaluated".to_owned();
    };
    let (naming, kind) = match kind.strip_prefix("name:") {
        Some(kind) => (true, kind),
        None => (false, kind),
    };
    let Some(query) = Query::from_kind(kind, node) else {
        return format!("!unknown query {kind}");
    };
    if naming {
        return match scope.shared_list(&query) {
            Ok(Some(list)) => format!("={}", lists.name(list)),
            Ok(None) => format!("!{kind} is not a list"),
            Err(message) => format!("!{message}"),
        };
    }
    match scope.query(&query) {
        Ok(Some(value)) => format!("={value}"),
        Ok(None) => "u".to_owned(),
        Err(message) => format!("!{message}"),
    }
}

/// `Name: message` of a JavaScript error, without the stack.
pub(super) fn describe<'js>(ctx: &Ctx<'js>, error: CaughtError<'js>) -> String {
    match error {
        CaughtError::Exception(exception) => {
            let name: String = exception.get("name").unwrap_or_else(|_| "Error".to_owned());
            format!("{name}: {}", exception.message().unwrap_or_default())
        }
        CaughtError::Value(value) => {
            let text = ctx
                .json_stringify(value)
                .ok()
                .flatten()
                .map(|text| text.to_string());
            format!(
                "Uncaught {}",
                text.and_then(Result::ok)
                    .unwrap_or_else(|| "value".to_owned())
            )
        }
        CaughtError::Error(error) => error.to_string(),
    }
}
