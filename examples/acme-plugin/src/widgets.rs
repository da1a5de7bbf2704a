//! Acme Widgets (`acme.widgets`, typeVersion 1): lists the account's widgets, one item per
//! widget, for each input item. It asks its context for the `acmeApi` credential's client and
//! sends `GET <base URL>/widgets?limit=<limit>` through it: the client adds the key and checks
//! the allowed domains, so the node never sees the key.

use async_trait::async_trait;
use serde_json::Value;
use url::Url;
use weft_nodes::description::{
    CredentialSlot, DisplayOptions, Literal, NodeDescription, Parameter, ParameterKind, SlotType,
};
use weft_nodes::{Emitter, Item, Node, NodeContext, NodeError, NodeHttp, register_node};

use crate::credential::ACME_API;

/// The Acme Widgets node.
pub struct AcmeWidgets;

/// The most widgets the API returns in one answer.
const MAX_LIMIT: u64 = 100;

/// The largest answer read (100 widgets are a few KiB): a bigger one is refused, not buffered.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

static DESCRIPTION: NodeDescription = NodeDescription {
    name: "acme.widgets",
    display_name: "Acme Widgets",
    description: "Lists the widgets of an Acme account",
    versions: &[1.0],
    versioned: true,
    trigger: false,
    outputs: &["main"],
    parameters: &[Parameter::new("limit", "Limit", ParameterKind::Number)
        .default(Literal::Number(50.0))
        .required()
        .describe("Max number of widgets to return (1 to 100)")],
    credentials: &[CredentialSlot {
        credential_type: SlotType::Fixed(ACME_API.name),
        display: DisplayOptions::ALWAYS,
    }],
};

#[async_trait]
impl Node for AcmeWidgets {
    fn description(&self) -> &'static NodeDescription {
        &DESCRIPTION
    }

    async fn execute(&self, ctx: &NodeContext<'_>, out: &mut Emitter) -> Result<(), NodeError> {
        let mut client = None;
        for index in 0..ctx.input().len() {
            let listed = widgets_for(ctx, &mut client, index).await;
            match listed {
                Ok(widgets) => {
                    let items = widgets
                        .into_iter()
                        .map(|widget| Item::from_value(widget, index));
                    out.emit(0, items).await?;
                }
                Err(error) if ctx.continue_on_fail() => {
                    out.emit(0, [Item::failed(error, index)]).await?;
                }
                Err(error) => return Err(error.for_item(index)),
            }
        }
        Ok(())
    }
}

/// The widgets for input item `index`. The client is fetched once, after the first item's
/// parameters were read: a node that fails before calling the API makes no request.
async fn widgets_for(
    ctx: &NodeContext<'_>,
    client: &mut Option<NodeHttp>,
    index: usize,
) -> Result<Vec<Value>, NodeError> {
    let limit = limit(ctx, index)?;
    let client = match client {
        Some(client) => client,
        None => client.insert(ctx.http(ACME_API.name).await?),
    };
    list_widgets(client, limit).await
}

/// `GET <base URL>/widgets?limit=<limit>` through `client`: the answer's `widgets`.
async fn list_widgets(client: &NodeHttp, limit: u64) -> Result<Vec<Value>, NodeError> {
    let Some(base) = &client.api_base else {
        return Err(NodeError::operation(
            "The Acme API credential has no base URL",
        ));
    };
    let mut url = widgets_url(base);
    url.query_pairs_mut()
        .append_pair("limit", &limit.to_string());
    let mut response = client
        .http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|error| NodeError::api(format!("{error:#}")))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| NodeError::api(format!("The Acme API's answer broke off: {error}")))?
    {
        if body.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(NodeError::api("The Acme API's answer is over 1 MiB")
                .with_description("ask for fewer widgets with a smaller Limit"));
        }
        body.extend_from_slice(&chunk);
    }
    let text = String::from_utf8_lossy(&body);
    if !(200..300).contains(&status) {
        return Err(NodeError::from_status(status, &text));
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(mut answer)) => match answer.remove("widgets") {
            Some(Value::Array(widgets)) => Ok(widgets),
            _ => Err(unexpected_answer("it has no `widgets` list")),
        },
        Ok(_) => Err(unexpected_answer("it is not a JSON object")),
        Err(error) => Err(unexpected_answer(&format!(
            "it is not JSON (line {}, column {})",
            error.line(),
            error.column()
        ))),
    }
}

/// `<base URL>/widgets`, keeping the base's own path (`/v1`).
fn widgets_url(base: &Url) -> Url {
    let mut url = base.clone();
    let path = format!("{}/widgets", base.path().trim_end_matches('/'));
    url.set_path(&path);
    url
}

/// The `limit` parameter for item `index`: a whole number from 1 to 100.
fn limit(ctx: &NodeContext<'_>, index: usize) -> Result<u64, NodeError> {
    let value: Value = ctx.parameter("limit", index)?;
    value
        .as_f64()
        .filter(|limit| limit.fract() == 0.0 && (1.0..=MAX_LIMIT as f64).contains(limit))
        .map(|limit| limit as u64)
        .ok_or_else(|| {
            NodeError::operation(format!(
                "Limit must be a whole number from 1 to {MAX_LIMIT}"
            ))
            .with_description(format!("the parameter `limit` is {value}"))
        })
}

fn unexpected_answer(why: &str) -> NodeError {
    NodeError::api("The Acme API answered with something that is not a widget list")
        .with_description(format!("the answer was refused because {why}"))
}

register_node!(AcmeWidgets);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widgets_path_goes_under_the_base_path() {
        for (base, expected) in [
            (
                "https://api.acme.example/v1",
                "https://api.acme.example/v1/widgets",
            ),
            (
                "https://api.acme.example/v1/",
                "https://api.acme.example/v1/widgets",
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/widgets"),
        ] {
            let url = widgets_url(&Url::parse(base).unwrap());
            assert_eq!(url.as_str(), expected);
        }
    }
}
