//! The sandbox of the nodes that run user code (Code, Function, Function Item): weft's
//! [`ScriptRunner`]. Each node run gets a fresh [`JsEngine`] (its own QuickJS runtime, so a
//! prototype changed by one node run is not seen by the next, with the memory limit and no host
//! capability but the data lookup, and `console.log` going to weft's log on stderr at level info
//! under the target `console`: `WEFT_LOG=console=info` shows it), the input items converted once,
//! and one deadline for the whole node run. `getWorkflowStaticData` is kept in the run log for
//! the rest of the execution (not across executions). The user's code is the body of an async function,
//! wrapped on its first line so that error lines are the lines of the code as written.

use std::time::{Duration, Instant};

use rquickjs::context::EvalOptions;
use rquickjs::{CatchResultExt, CaughtError, Ctx, Function, Persistent, Promise};
use serde_json::{Value, json};
use weft_nodes::{
    NodeError, ScriptFailure, ScriptKind, ScriptOutcome, ScriptRequest, ScriptRunner,
};

use super::js::{Halt, JsEngine, RunFacts};
use super::scope::Scope;

/// The globals of a code run (see the file).
const CODE_JS: &str = include_str!("code.js");

/// The file name the user's code runs under: its stack frames name it.
const CODE_FILE: &str = "weft-code";

/// The sandbox of one node run.
pub struct CodeSandbox {
    facts: RunFacts,
    timeout: Duration,
    scope: Scope,
    node: String,
}

impl CodeSandbox {
    /// The sandbox of node `node`'s run over `scope` (its input, item 0), with `timeout` for the
    /// whole run.
    pub fn new(facts: RunFacts, timeout: Duration, scope: Scope, node: &str) -> Self {
        Self {
            facts,
            timeout,
            scope,
            node: node.to_owned(),
        }
    }

    /// The node error for a run that did not finish.
    fn halted(&self, halt: Halt) -> NodeError {
        match halt {
            Halt::TimedOut => NodeError::operation(format!(
                "The code of node \"{}\" ran longer than {} ms and was stopped",
                self.node,
                self.timeout.as_millis()
            ))
            .with_description(
                "hint: an endless loop? If the code really needs longer, raise the limit with --code-timeout",
            ),
            Halt::Failed(message) => {
                NodeError::operation(format!("The JavaScript sandbox failed: {message}"))
            }
        }
    }

    /// `$prevNode`: the node the input came from.
    fn previous_node(&self) -> Value {
        match &self.scope.source {
            Some(source) => json!({
                "name": source.node,
                "outputIndex": source.output,
                "runIndex": source.run,
            }),
            None => json!({}),
        }
    }
}

/// The compiled user function and the caller that gives it its globals.
struct Prepared {
    run: Persistent<Function<'static>>,
    call: Persistent<Function<'static>>,
}

impl ScriptRunner for CodeSandbox {
    fn run(&self, request: &ScriptRequest<'_>) -> Result<Vec<ScriptOutcome>, NodeError> {
        let engine = JsEngine::new(&self.facts, self.timeout).map_err(|error| {
            NodeError::operation(format!("The JavaScript sandbox could not start: {error}"))
        })?;
        let deadline = Instant::now() + self.timeout;
        let input = serde_json::to_string(&*self.scope.input)
            .map_err(|error| NodeError::operation(error.to_string()))?;
        let previous = self.previous_node().to_string();
        let static_data = self.scope.log.static_data(&self.node).to_string();
        let node = self.node.clone();
        let prepared = engine
            .within(&self.scope, deadline, |ctx| {
                let data = [input.as_str(), &previous, &static_data];
                prepare(ctx, request.code, data, node).map_err(|error| error.to_string())
            })
            .map_err(|halt| self.halted(halt))?;
        let prepared = match prepared {
            Ok(prepared) => prepared,
            Err(failure) => return Ok(vec![Err(failure)]),
        };
        let items = match request.kind.per_item() {
            true => 0..self.scope.input.len(),
            false => 0..1,
        };
        let kind = match request.kind {
            ScriptKind::CodeAllItems => "codeAllItems",
            ScriptKind::CodeEachItem => "codeEachItem",
            ScriptKind::Function => "function",
            ScriptKind::FunctionItem => "functionItem",
        };
        let mut outcomes = Vec::new();
        for index in items {
            let scope = Scope {
                item_index: index,
                ..self.scope.clone()
            };
            let outcome = engine
                .within(&scope, deadline, |ctx| {
                    call(ctx, &prepared, kind, index).map_err(|error| error.to_string())
                })
                .map_err(|halt| self.halted(halt))?;
            let failed = outcome.is_err();
            outcomes.push(outcome);
            if failed && request.stop_at_failure {
                break;
            }
        }
        let left = engine
            .within(&self.scope, deadline, |ctx| {
                static_data_left(ctx, &prepared).map_err(|error| error.to_string())
            })
            .map_err(|halt| self.halted(halt))?;
        self.scope.log.keep_static_data(&self.node, left);
        Ok(outcomes)
    }
}

/// The static data as the code left it.
fn static_data_left(ctx: &Ctx<'_>, prepared: &Prepared) -> rquickjs::Result<Value> {
    let caller = prepared.call.clone().restore(ctx)?;
    let read: Function = caller.get("staticData")?;
    let text: String = read.call(())?;
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Installs the code globals and compiles `code`: `Err` of the inner result when the code
/// does not compile.
fn prepare(
    ctx: &Ctx<'_>,
    code: &str,
    [input, previous, static_data]: [&str; 3],
    node: String,
) -> rquickjs::Result<Result<Prepared, ScriptFailure>> {
    ctx.eval::<(), _>(CODE_JS)?;
    let setup: Function = ctx.globals().get("__weft_code")?;
    let log = Function::new(ctx.clone(), move |text: String| {
        tracing::info!(target: "console", node = %node, "{text}");
    })?;
    let caller: Function = setup.call((
        ctx.json_parse(input)?,
        ctx.json_parse(previous)?,
        log,
        ctx.json_parse(static_data)?,
    ))?;
    let mut options = EvalOptions::default();
    options.strict = false;
    options.filename = Some(CODE_FILE.to_owned());
    let wrapped = format!(
        "(async function ($, items, item, $input, $json, $binary, $item, $items, $prevNode, $vars, \
         getWorkflowStaticData, $getWorkflowStaticData, console) {{ return (async function () {{{code}\n}})(); }})"
    );
    let compiled = ctx
        .eval_with_options::<Function, _>(wrapped, options)
        .catch(ctx);
    Ok(match compiled {
        Ok(run) => Ok(Prepared {
            run: Persistent::save(ctx, run),
            call: Persistent::save(ctx, caller),
        }),
        Err(error) => Err(failure(ctx, error)),
    })
}

/// Calls the user function for item `index` and waits for its promise.
fn call(
    ctx: &Ctx<'_>,
    prepared: &Prepared,
    kind: &str,
    index: usize,
) -> rquickjs::Result<ScriptOutcome> {
    let run = prepared.run.clone().restore(ctx)?;
    let caller = prepared.call.clone().restore(ctx)?;
    let result = (|| -> rquickjs::Result<Option<String>> {
        let promise: Promise = caller.call((kind, run, index))?;
        let value: rquickjs::Value = promise.finish()?;
        ctx.json_stringify(value)?
            .map(|text| text.to_string())
            .transpose()
    })()
    .catch(ctx);
    Ok(match result {
        Ok(None) => Ok(None),
        Ok(Some(text)) => Ok(serde_json::from_str(&text).ok()),
        Err(error) => Err(failure(ctx, error)),
    })
}

/// A thrown error as n8n reports it: its message, its type unless `Error`, and the line of the
/// user's code from its stack.
fn failure<'js>(ctx: &Ctx<'js>, error: CaughtError<'js>) -> ScriptFailure {
    match error {
        CaughtError::Exception(exception) => {
            let name: String = exception.get("name").unwrap_or_else(|_| "Error".to_owned());
            ScriptFailure {
                message: exception.message().unwrap_or_default(),
                error_type: (name != "Error").then_some(name),
                line: exception.stack().as_deref().and_then(code_line),
            }
        }
        CaughtError::Value(value) => ScriptFailure {
            message: ctx
                .json_stringify(value)
                .ok()
                .flatten()
                .and_then(|text| text.to_string().ok())
                .unwrap_or_else(|| "Unknown error".to_owned()),
            error_type: None,
            line: None,
        },
        CaughtError::Error(error) => ScriptFailure {
            message: error.to_string(),
            error_type: None,
            line: None,
        },
    }
}

/// The line of the first stack frame in the user's code (`weft-code:3:11`).
fn code_line(stack: &str) -> Option<u32> {
    let marker = format!("{CODE_FILE}:");
    let start = stack.find(&marker)? + marker.len();
    let digits: String = stack[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
#[path = "code_tests.rs"]
mod tests;
