//! Execute Workflow's parameters per typeVersion, with n8n 2.41.1's defaults and displayOptions.

use crate::description::{
    Choice, Condition, Literal, NodeDescription, Parameter, ParameterKind, VERSION_KEY,
};

const UP_TO_1_1: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Lt(1.2)])];
const FROM_1_2: &[(&str, &[Condition])] = &[(VERSION_KEY, &[Condition::Gte(1.2)])];
const DATABASE_V1: &[(&str, &[Condition])] = &[
    ("source", &[Condition::Is(Literal::String("database"))]),
    (VERSION_KEY, &[Condition::Is(Literal::Number(1.0))]),
];
const DATABASE_FROM_1_1: &[(&str, &[Condition])] = &[
    ("source", &[Condition::Is(Literal::String("database"))]),
    (VERSION_KEY, &[Condition::Gte(1.1)]),
];
const DATABASE_FROM_1_2: &[(&str, &[Condition])] = &[
    ("source", &[Condition::Is(Literal::String("database"))]),
    (VERSION_KEY, &[Condition::Gte(1.2)]),
];
const NO_WORKFLOW: &[(&str, &[Condition])] =
    &[("workflowId", &[Condition::Is(Literal::String(""))])];
const LOCAL_FILE: &[(&str, &[Condition])] =
    &[("source", &[Condition::Is(Literal::String("localFile"))])];
const PARAMETER: &[(&str, &[Condition])] =
    &[("source", &[Condition::Is(Literal::String("parameter"))])];
const URL: &[(&str, &[Condition])] = &[("source", &[Condition::Is(Literal::String("url"))])];

const DATABASE: Choice = Choice::new("Database", Literal::String("database"));
const DEFINE_BELOW: Choice = Choice::new("Define Below", Literal::String("parameter"));

pub static DESCRIPTION: NodeDescription = NodeDescription {
    name: "n8n-nodes-base.executeWorkflow",
    display_name: "Execute Workflow",
    description: "Runs another workflow with the node's items and puts out what it returns",
    versions: &[1.0, 1.1, 1.2, 1.3, 1.4],
    versioned: false,
    trigger: false,
    outputs: &["main"],
    parameters: &[
        Parameter::new(
            "source",
            "Source",
            ParameterKind::Options(&[
                DATABASE,
                Choice::new("Local File", Literal::String("localFile")),
                Choice::new("Parameter", Literal::String("parameter")),
                Choice::new("URL", Literal::String("url")),
            ]),
        )
        .default(Literal::String("database"))
        .show(UP_TO_1_1)
        .describe("Where the workflow comes from: a workflow file of the --workflows folder by id, a file, or inline JSON"),
        Parameter::new(
            "source",
            "Source",
            ParameterKind::Options(&[DATABASE, DEFINE_BELOW]),
        )
        .default(Literal::String("database"))
        .show(FROM_1_2)
        .describe("Where the workflow comes from: a workflow file of the --workflows folder by id, or inline JSON"),
        Parameter::new("workflowId", "Workflow ID", ParameterKind::String)
            .required()
            .show(DATABASE_V1)
            .describe("The `id` of a workflow file in the folder given by --workflows or WEFT_WORKFLOWS"),
        Parameter::new(
            "workflowId",
            "Workflow",
            ParameterKind::ResourceLocator {
                modes: &["list", "id"],
            },
        )
        .default(Literal::String(""))
        .required()
        .show(DATABASE_FROM_1_1)
        .describe("The `id` of a workflow file in the folder given by --workflows or WEFT_WORKFLOWS"),
        Parameter::new("workflowPath", "Workflow Path", ParameterKind::String)
            .required()
            .show(LOCAL_FILE)
            .describe("The path of a workflow JSON file"),
        Parameter::new("workflowJson", "Workflow JSON", ParameterKind::Json)
            .default(Literal::String("\n\n\n"))
            .required()
            .show(PARAMETER)
            .describe("The workflow JSON to run"),
        Parameter::new("workflowUrl", "Workflow URL", ParameterKind::String)
            .required()
            .show(URL)
            .describe("The URL to load the workflow from (weft refuses this source)"),
        Parameter::new(
            "workflowInputs",
            "Workflow Inputs",
            ParameterKind::ResourceMapper,
        )
        .default(Literal::Object(&[
            ("mappingMode", Literal::String("defineBelow")),
            ("value", Literal::Null),
        ]))
        .required()
        .no_data_expression()
        .show(DATABASE_FROM_1_2)
        .hide(NO_WORKFLOW)
        .describe("The values of the inputs the sub-workflow's trigger declares"),
        Parameter::new(
            "mode",
            "Mode",
            ParameterKind::Options(&[
                Choice::new("Run once with all items", Literal::String("once")),
                Choice::new("Run once for each item", Literal::String("each")),
            ]),
        )
        .no_data_expression()
        .describe("One sub-workflow run with all items, or one per item"),
        Parameter::new(
            "options",
            "Options",
            ParameterKind::Collection(&[Parameter::new(
                "waitForSubWorkflow",
                "Wait For Sub-Workflow Completion",
                ParameterKind::Boolean,
            )
            .default(Literal::Bool(true))
            .describe(
                "Whether to put out the sub-workflow's result (else the input items; weft still \
                 runs the sub-workflow to its end before the node finishes)",
            )]),
        ),
    ],
    credentials: &[],
};
