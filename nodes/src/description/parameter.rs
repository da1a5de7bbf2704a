//! `Parameter`: one declared node parameter (type, default, options, displayOptions), built in
//! `const` context with small builder methods:
//!
//! ```
//! use weft_nodes::description::{Choice, Literal, Parameter, ParameterKind};
//! const METHOD: Parameter = Parameter::new("method", "Method", ParameterKind::Options(&[
//!     Choice::new("GET", Literal::String("GET")),
//!     Choice::new("POST", Literal::String("POST")),
//! ]))
//! .default(Literal::String("GET"));
//! ```

use super::display::{DisplayOptions, Show};
use super::literal::Literal;

/// A parameter's type, as n8n names them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParameterKind {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `dateTime`: an ISO 8601 string.
    DateTime,
    /// `json`: JSON text (or, through an expression, any value).
    Json,
    /// `options`: one of the choices.
    Options(&'static [Choice]),
    /// `multiOptions`: a list of choices.
    MultiOptions(&'static [Choice]),
    /// `collection`: optional sub-parameters; only the keys the user set are kept.
    Collection(&'static [Parameter]),
    /// `fixedCollection`: named groups of sub-parameters, each entry filled with its defaults.
    FixedCollection {
        /// True when a group holds a list of entries (`typeOptions.multipleValues`).
        multiple: bool,
        /// The groups.
        groups: &'static [Group],
    },
    /// `filter`: conditions as n8n's editor writes them, `{ "conditions": [{ "leftValue",
    /// "rightValue", "operator": { "type", "operation", … } }], "combinator", "options" }`.
    Filter,
    /// `resourceLocator`: `{ "__rl": true, "mode": …, "value": … }`, or a legacy plain string.
    ResourceLocator {
        /// The modes offered, e.g. `list`, `id`, `url`.
        modes: &'static [&'static str],
    },
    /// `resourceMapper`: `{ "mappingMode", "value": { field: value }, "schema": [{ "id", "type",
    /// "removed"?, … }], "attemptToConvertTypes", "convertFieldsToString" }`.
    ResourceMapper,
}

impl ParameterKind {
    /// n8n's name of the type.
    pub fn n8n_name(&self) -> &'static str {
        match self {
            ParameterKind::String => "string",
            ParameterKind::Number => "number",
            ParameterKind::Boolean => "boolean",
            ParameterKind::DateTime => "dateTime",
            ParameterKind::Json => "json",
            ParameterKind::Options(_) => "options",
            ParameterKind::MultiOptions(_) => "multiOptions",
            ParameterKind::Collection(_) => "collection",
            ParameterKind::FixedCollection { .. } => "fixedCollection",
            ParameterKind::ResourceLocator { .. } => "resourceLocator",
            ParameterKind::Filter => "filter",
            ParameterKind::ResourceMapper => "resourceMapper",
        }
    }

    /// The default a parameter of this type has unless it declares one.
    const fn implicit_default(&self) -> Literal {
        match self {
            ParameterKind::String | ParameterKind::DateTime | ParameterKind::Json => {
                Literal::String("")
            }
            ParameterKind::Number => Literal::Number(0.0),
            ParameterKind::Boolean => Literal::Bool(false),
            ParameterKind::Options(choices) => match choices.first() {
                Some(choice) => choice.value,
                None => Literal::Null,
            },
            ParameterKind::MultiOptions(_) => Literal::EMPTY_ARRAY,
            ParameterKind::Collection(_)
            | ParameterKind::FixedCollection { .. }
            | ParameterKind::Filter
            | ParameterKind::ResourceMapper => Literal::EMPTY_OBJECT,
            ParameterKind::ResourceLocator { .. } => Literal::Object(&[
                ("mode", Literal::String("id")),
                ("value", Literal::String("")),
            ]),
        }
    }
}

/// One choice of an `options` or `multiOptions` parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    /// The label.
    pub name: &'static str,
    /// The value stored in the workflow.
    pub value: Literal,
}

impl Choice {
    /// A choice labelled `name` storing `value`.
    pub const fn new(name: &'static str, value: Literal) -> Self {
        Self { name, value }
    }
}

/// One group of a `fixedCollection` (e.g. `conditions` inside `conditionsUi`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Group {
    /// The key in the workflow JSON.
    pub name: &'static str,
    /// The label.
    pub display_name: &'static str,
    /// The sub-parameters of one entry.
    pub values: &'static [Parameter],
}

/// A declared node parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parameter {
    /// The key in the workflow JSON.
    pub name: &'static str,
    /// The label.
    pub display_name: &'static str,
    /// The type.
    pub kind: ParameterKind,
    /// The value when the workflow leaves the parameter out.
    pub default: Literal,
    /// n8n refuses to run a workflow where a shown required parameter is empty.
    pub required: bool,
    /// The value may not be an expression: a leading `=` is stripped.
    pub no_data_expression: bool,
    /// When the parameter applies.
    pub display: DisplayOptions,
    /// A one-line explanation, shown in the generated schema.
    pub description: &'static str,
    /// A weft addition that n8n's node does not declare. Resolution leaves it out unless the
    /// workflow writes it, so a workflow that does not use it resolves exactly as in n8n (whose
    /// error objects show the resolved parameters).
    pub weft_extension: bool,
    /// n8n's node evaluates the `{{ }}` parts of this string itself (the HTML node's template):
    /// resolution treats a written value holding `{{` as an expression, as if it began with `=`.
    pub template: bool,
}

impl Parameter {
    /// A parameter with the default of its type, always shown, optional.
    pub const fn new(name: &'static str, display_name: &'static str, kind: ParameterKind) -> Self {
        Self {
            name,
            display_name,
            default: kind.implicit_default(),
            kind,
            required: false,
            no_data_expression: false,
            display: DisplayOptions::ALWAYS,
            description: "",
            weft_extension: false,
            template: false,
        }
    }

    /// With this default.
    pub const fn default(mut self, default: Literal) -> Self {
        self.default = default;
        self
    }

    /// Marked required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Marked `noDataExpression`.
    pub const fn no_data_expression(mut self) -> Self {
        self.no_data_expression = true;
        self
    }

    /// Marked as a template whose `{{ }}` parts the node evaluates itself.
    pub const fn template(mut self) -> Self {
        self.template = true;
        self
    }

    /// Shown only when every entry holds.
    pub const fn show(mut self, show: Show) -> Self {
        self.display.show = show;
        self
    }

    /// Hidden when any entry holds.
    pub const fn hide(mut self, hide: Show) -> Self {
        self.display.hide = hide;
        self
    }

    /// With this description.
    pub const fn describe(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// Marked as a weft addition: absent from the resolved parameters unless written.
    pub const fn weft_extension(mut self) -> Self {
        self.weft_extension = true;
        self
    }
}
