//! The pages of a form: the form itself (GET), the page shown once it was submitted, and the
//! page of a refused submission. weft's own markup and a few lines of CSS, no script: the form
//! posts `multipart/form-data` with n8n's input names (`field-<index>`). Every text a workflow
//! supplies is escaped (`ammonia::clean_text`); the description and Custom HTML elements,
//! which n8n accepts as HTML, are cleaned with n8n's allowlist of tags and attributes
//! (`ammonia`), and custom CSS loses every `<`.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::fields::{FormField, Refused};
use super::settings::FormSettings;
use crate::webhook::{AnswerBody, WebhookAnswer};

/// n8n's text under a submitted form.
pub(super) const ATTRIBUTION: &str = "Form automated with";

/// The page's style: small, readable, no external resource.
const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1f2328;margin:0;padding:2rem 1rem}\
main{max-width:36rem;margin:auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 3px #0002}\
h1{font-size:1.5rem;margin:0 0 .5rem}.description{white-space:pre-line;color:#555;margin-bottom:1.5rem}\
.field{margin-bottom:1.25rem}label,legend{display:block;font-weight:600;margin-bottom:.35rem}\
fieldset{border:0;padding:0;margin:0}.choice{font-weight:400;display:flex;gap:.5rem;align-items:center}\
input:not([type=checkbox]):not([type=radio]),select,textarea{width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #c9ccd1;border-radius:4px;font:inherit}\
.required{color:#c62828}button{background:#ff6d5a;color:#fff;border:0;border-radius:4px;padding:.7rem 1.4rem;font:inherit;cursor:pointer}\
.problems{background:#fdecea;border-radius:4px;padding:.75rem 1rem;margin-bottom:1rem}.attribution{text-align:center;color:#777;font-size:.8rem;margin-top:1.5rem}";

/// The answer's headers: HTML, and a policy that lets the page load nothing but inline style
/// and the media that cleaned HTML may show.
fn page(status: u16, title: &str, body: &str, settings: &FormSettings) -> WebhookAnswer {
    let custom = settings
        .custom_css
        .as_deref()
        .map(|css| format!("<style>{}</style>", css.replace('<', "")))
        .unwrap_or_default();
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style>{custom}</head><body><main>{body}{}</main></body></html>\n",
        ammonia::clean_text(title),
        attribution(settings),
    );
    WebhookAnswer {
        status,
        headers: vec![
            (
                "content-type".to_owned(),
                "text/html; charset=utf-8".to_owned(),
            ),
            (
                "content-security-policy".to_owned(),
                "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; \
media-src http: https:; frame-src http: https:; base-uri 'none'; frame-ancestors 'self'"
                    .to_owned(),
            ),
            ("x-content-type-options".to_owned(), "nosniff".to_owned()),
            ("referrer-policy".to_owned(), "no-referrer".to_owned()),
        ],
        body: AnswerBody::Text(html),
    }
}

/// n8n's "Form automated with n8n" line, unless `appendAttribution` is off.
fn attribution(settings: &FormSettings) -> String {
    match settings.append_attribution {
        true => format!(
            "<p class=\"attribution\">{ATTRIBUTION} <a href=\"https://n8n.io/\" rel=\"noopener noreferrer\" target=\"_blank\">n8n</a></p>"
        ),
        false => String::new(),
    }
}

/// The form, its fields filled from `query` (by field key) or their default values.
pub(super) fn form(settings: &FormSettings, query: &Map<String, Value>) -> WebhookAnswer {
    let mut body = heading(settings);
    body.push_str("<form method=\"post\" enctype=\"multipart/form-data\">");
    for (index, field) in settings.fields.iter().enumerate() {
        let given = query.get(&field.key).map(|value| match value {
            Value::String(text) => text.clone(),
            Value::Array(values) => values.first().map(text_of).unwrap_or_default(),
            other => text_of(other),
        });
        body.push_str(&field_html(index, field, given.as_deref()));
    }
    body.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        ammonia::clean_text(&settings.button_label)
    ));
    page(200, &settings.title, &body, settings)
}

/// The page after a submission: the form's title and the submitted text.
pub(super) fn submitted(settings: &FormSettings, text: &str) -> WebhookAnswer {
    let mut body = format!("<h1>{}</h1>", ammonia::clean_text(&settings.title));
    if !text.is_empty() {
        body.push_str(&format!(
            "<p class=\"description\">{}</p>",
            ammonia::clean_text(text)
        ));
    }
    page(200, &settings.title, &body, settings)
}

/// A refused submission (400): what is wrong with which field, and the way back.
pub(super) fn refused(settings: &FormSettings, problems: &[Refused]) -> WebhookAnswer {
    let mut body = heading(settings);
    body.push_str("<div class=\"problems\" role=\"alert\"><p>The form was not submitted:</p><ul>");
    for problem in problems {
        body.push_str(&format!(
            "<li><strong>{}</strong>: {}</li>",
            ammonia::clean_text(&problem.label),
            ammonia::clean_text(&problem.problem)
        ));
    }
    body.push_str("</ul><p><a href=\"\">Back to the form</a></p></div>");
    page(400, &settings.title, &body, settings)
}

/// The title and the cleaned description.
fn heading(settings: &FormSettings) -> String {
    let mut heading = format!("<h1>{}</h1>", ammonia::clean_text(&settings.title));
    if !settings.description.is_empty() {
        heading.push_str(&format!(
            "<div class=\"description\">{}</div>",
            cleaned_html(&handle_newlines(&settings.description))
        ));
    }
    heading
}

/// One field's markup; `given` is the value the query string passes for it.
fn field_html(index: usize, field: &FormField, given: Option<&str>) -> String {
    let id = format!("field-{index}");
    let value = given.unwrap_or(&field.default_value);
    let required = if field.required { " required" } else { "" };
    let star = if field.required {
        "<span class=\"required\" aria-hidden=\"true\"> *</span>"
    } else {
        ""
    };
    let label = format!(
        "<label for=\"{id}\">{}{star}</label>",
        ammonia::clean_text(&field.label)
    );
    let attr = |name: &str, text: &str| match text.is_empty() {
        true => String::new(),
        false => format!(" {name}=\"{}\"", ammonia::clean_text(text)),
    };
    let control = match field.kind.as_str() {
        "html" => return format!("<div class=\"field\">{}</div>", cleaned_html(&field.html)),
        "hiddenField" => {
            let value = given.unwrap_or(if field.default_value.is_empty() {
                &field.hidden_value
            } else {
                &field.default_value
            });
            return format!(
                "<input type=\"hidden\" name=\"{id}\"{}>",
                attr("value", value)
            );
        }
        "textarea" => format!(
            "{label}<textarea id=\"{id}\" name=\"{id}\" rows=\"4\"{}{required}>{}</textarea>",
            attr("placeholder", &field.placeholder),
            ammonia::clean_text(value)
        ),
        "dropdown" if !field.multiselect => {
            let mut select = format!(
                "{label}<select id=\"{id}\" name=\"{id}\"{required}><option value=\"\"></option>"
            );
            for option in &field.options {
                let selected = if option == value { " selected" } else { "" };
                select.push_str(&format!(
                    "<option{}{selected}>{}</option>",
                    attr("value", option),
                    ammonia::clean_text(option)
                ));
            }
            select.push_str("</select>");
            select
        }
        "radio" | "checkbox" | "dropdown" => {
            let input_type = if field.kind == "radio" {
                "radio"
            } else {
                "checkbox"
            };
            let chosen: HashSet<&str> = value.split(',').map(str::trim).collect();
            let mut group = format!(
                "<fieldset id=\"{id}\"><legend>{}{star}</legend>",
                ammonia::clean_text(&field.label)
            );
            for (number, option) in field.options.iter().enumerate() {
                let checked = if chosen.contains(option.as_str()) {
                    " checked"
                } else {
                    ""
                };
                let one_required = if field.kind == "radio" { required } else { "" };
                group.push_str(&format!(
                    "<label class=\"choice\"><input type=\"{input_type}\" id=\"option{number}_{id}\" name=\"{id}\"{}{checked}{one_required}>{}</label>",
                    attr("value", option),
                    ammonia::clean_text(option)
                ));
            }
            group.push_str("</fieldset>");
            group
        }
        "file" => format!(
            "{label}<input type=\"file\" id=\"{id}\" name=\"{id}\"{}{}{required}>",
            attr("accept", &field.accept),
            if field.multiple_files {
                " multiple"
            } else {
                ""
            }
        ),
        kind => {
            let input_type = match kind {
                "email" | "number" | "password" | "date" => kind,
                _ => "text",
            };
            let step = if kind == "number" {
                " step=\"any\""
            } else {
                ""
            };
            format!(
                "{label}<input type=\"{input_type}\" id=\"{id}\" name=\"{id}\"{}{}{step}{required}>",
                attr("placeholder", &field.placeholder),
                attr("value", value)
            )
        }
    };
    format!("<div class=\"field\">{control}</div>")
}

/// HTML with only n8n's allowed tags and attributes (`sanitizeHtml` in n8n's form utilities):
/// no script, style, input or event handler; links and media over http(s) only; iframes
/// sandboxed.
fn cleaned_html(html: &str) -> String {
    let tags = [
        "b", "div", "i", "iframe", "img", "video", "source", "em", "strong", "a", "h1", "h2", "h3",
        "h4", "h5", "h6", "u", "sub", "sup", "code", "pre", "span", "br", "ul", "ol", "li", "p",
        "table", "thead", "tbody", "tfoot", "td", "tr", "th",
    ];
    let cell = ["colspan", "rowspan", "scope", "headers"];
    ammonia::Builder::default()
        .tags(tags.into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", vec!["href", "target"]),
                ("img", vec!["src", "alt", "width", "height"]),
                (
                    "video",
                    vec![
                        "controls", "autoplay", "loop", "muted", "poster", "width", "height",
                    ],
                ),
                (
                    "iframe",
                    vec![
                        "src",
                        "width",
                        "height",
                        "frameborder",
                        "allow",
                        "allowfullscreen",
                        "referrerpolicy",
                    ],
                ),
                ("source", vec!["src", "type"]),
                ("td", cell.to_vec()),
                ("th", cell.to_vec()),
            ]
            .into_iter()
            .map(|(tag, attributes)| (tag, attributes.into_iter().collect()))
            .collect(),
        )
        .set_tag_attribute_value("iframe", "sandbox", "")
        .url_schemes(["http", "https"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// n8n's `handleNewlines`: a written `\n` is a line break, a written `\\n` stays `\n`.
fn handle_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(tail) = after.strip_prefix("\\\\n") {
            out.push_str("\\n");
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("\\n") {
            out.push('\n');
            rest = tail;
        } else {
            out.push('\\');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_n8ns_tags_only() {
        let cases = [
            ("<b>bold</b><script>alert(1)</script>", "<b>bold</b>"),
            (
                "<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>",
                "<a rel=\"noopener noreferrer\">x</a>",
            ),
            (
                "<img src=\"https://x.test/a.png\" onerror=\"x()\">",
                "<img src=\"https://x.test/a.png\">",
            ),
            ("<style>*{}</style><input name=a>ok", "ok"),
        ];
        for (html, cleaned) in cases {
            assert_eq!(cleaned_html(html), cleaned, "{html}");
        }
        assert!(cleaned_html("<iframe src=\"https://x.test\"></iframe>").contains("sandbox=\"\""));
    }

    #[test]
    fn written_newlines_become_line_breaks() {
        assert_eq!(handle_newlines("a\\nb\\\\nc\\d"), "a\nb\\nc\\d");
    }
}
