//! One case folder of the golden layout (`case.json`, `workflow.json`, `requests.jsonl`,
//! `output.json`), with the files the workflow reads pointed at the golden `files/` folder.
//!
//! n8n read `files/hello.txt` from a folder of its own (`/tmp/n8n-golden/files`): every string
//! of the workflow that names a file under some `…/files/` folder which exists in the golden
//! `files/` is rewritten to that file, and the same folder prefix is rewritten in the recorded
//! output (the binary metadata's `directory`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{Map, Value};

use super::call::Call;
use super::deviations::Facts;

/// A loaded case.
#[derive(Debug)]
pub struct Case {
    /// The folder name.
    pub name: String,
    /// Extra `fake_sf.py` arguments.
    pub fake_args: Vec<String>,
    /// Extra environment for the run.
    pub env: Map<String, Value>,
    /// The workflow, file paths rewritten.
    pub workflow: Value,
    /// The recorded requests.
    pub requests: Vec<Call>,
    /// The recorded output, file paths rewritten and normalized.
    pub output: Value,
    /// What the deviation rules need.
    pub facts: Facts,
}

impl Case {
    /// Loads `dir`; `files` is the golden `files/` folder.
    pub fn load(dir: &Path, files: &Path) -> anyhow::Result<Self> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let read = |file: &str| {
            let path = dir.join(file);
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))
        };
        let json = |file: &str| -> anyhow::Result<Value> {
            serde_json::from_str(&read(file)?).with_context(|| format!("{name}/{file} is not JSON"))
        };
        let meta = json("case.json")?;
        let mut workflow = json("workflow.json")?;
        let mut output = json("output.json")?;
        let requests = read("requests.jsonl")?
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| Call::from_log_line(line, super::call::RECORDED_PORT))
            .collect::<anyhow::Result<Vec<_>>>()
            .with_context(|| format!("{name}/requests.jsonl"))?;
        let rewrites = file_folders(&workflow, files);
        let mut read_files = Vec::new();
        rewrite(&mut workflow, &rewrites, files, &mut read_files);
        rewrite(&mut output, &rewrites, files, &mut Vec::new());
        super::output::normalize(&mut output);
        let salesforce_parameters = workflow
            .get("nodes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|node| {
                node.get("type").and_then(Value::as_str) == Some("n8n-nodes-base.salesforce")
            })
            .filter_map(|node| node.get("parameters").cloned())
            .collect();
        Ok(Self {
            name,
            fake_args: meta
                .get("fake_args")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|arg| arg.as_str().map_or_else(|| arg.to_string(), str::to_owned))
                .collect(),
            env: meta
                .get("env")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            workflow,
            requests,
            output,
            facts: Facts {
                salesforce_parameters,
                files: read_files,
            },
        })
    }
}

/// The workflow with the recorded fake's address (`127.0.0.1:18090`, which HTTP Request nodes
/// call) pointed at the fake on `port`.
pub fn on_port(workflow: &Value, port: u16) -> Value {
    let recorded = format!("127.0.0.1:{}", super::call::RECORDED_PORT);
    let mut workflow = workflow.clone();
    visit_strings_mut(&mut workflow, &mut |text| {
        if text.contains(&recorded) {
            *text = text.replace(&recorded, &format!("127.0.0.1:{port}"));
        }
    });
    workflow
}

/// The folders (`/tmp/n8n-golden/files`) of workflow strings naming a file of the golden `files/`.
fn file_folders(workflow: &Value, files: &Path) -> Vec<String> {
    let mut folders = Vec::new();
    visit_strings(workflow, &mut |text| {
        if let Some((folder, file)) = text.rsplit_once('/')
            && folder.ends_with("/files")
            && !file.is_empty()
            && files.join(file).is_file()
            && !folders.iter().any(|known| known == folder)
        {
            folders.push(folder.to_owned());
        }
    });
    folders
}

/// Rewrites strings equal to or under one of `folders` to `files`, noting the files named.
fn rewrite(value: &mut Value, folders: &[String], files: &Path, named: &mut Vec<PathBuf>) {
    visit_strings_mut(value, &mut |text| {
        for folder in folders {
            if text == folder {
                *text = files.display().to_string();
            } else if let Some(rest) = text.strip_prefix(&format!("{folder}/")) {
                let path = files.join(rest);
                *text = path.display().to_string();
                if path.is_file() && !named.contains(&path) {
                    named.push(path);
                }
            }
        }
    });
}

/// Calls `f` on every string in `value`, which it may change.
fn visit_strings_mut(value: &mut Value, f: &mut impl FnMut(&mut String)) {
    match value {
        Value::String(text) => f(text),
        Value::Array(values) => values.iter_mut().for_each(|v| visit_strings_mut(v, f)),
        Value::Object(map) => map.values_mut().for_each(|v| visit_strings_mut(v, f)),
        _ => {}
    }
}

/// Calls `f` on every string in `value`.
fn visit_strings(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(text) => f(text),
        Value::Array(values) => values.iter().for_each(|v| visit_strings(v, f)),
        Value::Object(map) => map.values().for_each(|v| visit_strings(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_recorded_fake_address_points_at_the_running_fake() {
        let workflow = json!({"nodes": [{"parameters": {"url": "http://127.0.0.1:18090/services/data", "n": 18090}}]});
        assert_eq!(
            on_port(&workflow, 4242),
            json!({"nodes": [{"parameters": {"url": "http://127.0.0.1:4242/services/data", "n": 18090}}]})
        );
    }

    #[test]
    fn file_paths_point_at_the_golden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("hello.txt"), "hi").unwrap();
        let mut workflow = json!({"nodes": [{"parameters": {"fileSelector": "/tmp/n8n/files/hello.txt", "other": "/tmp/n8n/files/none.txt"}}]});
        let folders = file_folders(&workflow, dir.path());
        assert_eq!(folders, ["/tmp/n8n/files"]);
        let mut named = Vec::new();
        rewrite(&mut workflow, &folders, dir.path(), &mut named);
        let hello = dir.path().join("hello.txt");
        assert_eq!(
            workflow
                .pointer("/nodes/0/parameters/fileSelector")
                .unwrap(),
            &json!(hello.display().to_string())
        );
        assert_eq!(named, [hello]);
        let mut output = json!({"directory": "/tmp/n8n/files"});
        rewrite(&mut output, &folders, dir.path(), &mut Vec::new());
        assert_eq!(output["directory"], json!(dir.path().display().to_string()));
    }
}
