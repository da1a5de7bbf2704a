//! sObject metadata: the standard objects the fake knows, generic custom objects (`X__c`), their
//! fields and the describe JSON built from them.
//!
//! Fields are declared with a compact spec, `Name;type[;flag...]`, where flags are `req` (required
//! on create), `ro` (neither createable nor updateable), `noupd` (createable only), `ext` (external
//! id, idLookup), `lookup` (idLookup), `uniq`, `ref=A|B` (reference targets), `rel=Name`
//! (relationship name, default: the field name without `Id`) and `pick=A|B` (picklist values).

use serde_json::{Value as Json, json};
use std::collections::HashMap;

/// A field's Salesforce type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Id,
    String,
    TextArea,
    Boolean,
    Int,
    Double,
    Currency,
    Percent,
    Date,
    DateTime,
    Picklist,
    MultiPicklist,
    Reference,
    Email,
    Phone,
    Url,
    Base64,
}

impl FieldType {
    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "id" => Self::Id,
            "string" => Self::String,
            "textarea" => Self::TextArea,
            "boolean" => Self::Boolean,
            "int" => Self::Int,
            "double" => Self::Double,
            "currency" => Self::Currency,
            "percent" => Self::Percent,
            "date" => Self::Date,
            "datetime" => Self::DateTime,
            "picklist" => Self::Picklist,
            "multipicklist" => Self::MultiPicklist,
            "reference" => Self::Reference,
            "email" => Self::Email,
            "phone" => Self::Phone,
            "url" => Self::Url,
            "base64" => Self::Base64,
            _ => return None,
        })
    }

    /// The name describe reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::String => "string",
            Self::TextArea => "textarea",
            Self::Boolean => "boolean",
            Self::Int => "int",
            Self::Double => "double",
            Self::Currency => "currency",
            Self::Percent => "percent",
            Self::Date => "date",
            Self::DateTime => "datetime",
            Self::Picklist => "picklist",
            Self::MultiPicklist => "multipicklist",
            Self::Reference => "reference",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Url => "url",
            Self::Base64 => "base64",
        }
    }

    fn soap_type(self) -> &'static str {
        match self {
            Self::Id | Self::Reference => "tns:ID",
            Self::Boolean => "xsd:boolean",
            Self::Int => "xsd:int",
            Self::Double | Self::Currency | Self::Percent => "xsd:double",
            Self::Date => "xsd:date",
            Self::DateTime => "xsd:dateTime",
            Self::Base64 => "xsd:base64Binary",
            _ => "xsd:string",
        }
    }

    /// Whether values are text (compared case-insensitively, quoted in SOQL).
    pub fn is_text(self) -> bool {
        !matches!(
            self,
            Self::Boolean
                | Self::Int
                | Self::Double
                | Self::Currency
                | Self::Percent
                | Self::Date
                | Self::DateTime
        )
    }

    /// Whether values are numbers.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Self::Int | Self::Double | Self::Currency | Self::Percent
        )
    }
}

/// One field of an sObject.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub kind: FieldType,
    pub reference_to: Vec<String>,
    pub relationship_name: Option<String>,
    pub picklist: Vec<String>,
    pub required: bool,
    pub createable: bool,
    pub updateable: bool,
    pub external_id: bool,
    pub id_lookup: bool,
    pub unique: bool,
    pub custom: bool,
}

impl Field {
    /// Parses a field spec (see the module docs).
    pub fn parse(spec: &str) -> Result<Field, String> {
        let mut parts = spec.split(';');
        let name = parts.next().unwrap_or_default().trim().to_string();
        let kind_word = parts.next().unwrap_or_default().trim();
        let kind = FieldType::parse(kind_word)
            .ok_or_else(|| format!("field {name}: unknown type '{kind_word}'"))?;
        if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            return Err(format!("bad field name in '{spec}'"));
        }
        let mut field = Field {
            label: label_of(&name),
            custom: name.ends_with("__c"),
            kind,
            reference_to: Vec::new(),
            relationship_name: None,
            picklist: Vec::new(),
            required: false,
            createable: kind != FieldType::Id,
            updateable: kind != FieldType::Id,
            external_id: false,
            id_lookup: kind == FieldType::Id,
            unique: false,
            name,
        };
        for flag in parts {
            match flag.split_once('=') {
                Some(("ref", targets)) => {
                    field.reference_to = targets.split('|').map(str::to_string).collect();
                }
                Some(("rel", rel)) => field.relationship_name = Some(rel.to_string()),
                Some(("pick", values)) => {
                    field.picklist = values.split('|').map(str::to_string).collect();
                }
                _ => match flag {
                    "req" => field.required = true,
                    "ro" => (field.createable, field.updateable) = (false, false),
                    "noupd" => field.updateable = false,
                    "ext" => (field.external_id, field.id_lookup) = (true, true),
                    "lookup" => field.id_lookup = true,
                    "uniq" => field.unique = true,
                    other => return Err(format!("field {}: unknown flag '{other}'", field.name)),
                },
            }
        }
        if field.kind == FieldType::Reference && field.relationship_name.is_none() {
            field.relationship_name = Some(relationship_of(&field.name));
        }
        Ok(field)
    }

    /// Whether `null` is allowed.
    pub fn nillable(&self) -> bool {
        !self.required && self.kind != FieldType::Boolean && self.kind != FieldType::Id
    }

    /// Whether the field can appear in a WHERE clause.
    pub fn filterable(&self) -> bool {
        !matches!(self.kind, FieldType::TextArea | FieldType::Base64)
    }

    fn describe(&self) -> Json {
        let length = match self.kind {
            FieldType::Id | FieldType::Reference => 18,
            FieldType::TextArea => 32_000,
            k if k.is_text() => 255,
            _ => 0,
        };
        let picklist: Vec<Json> = self
            .picklist
            .iter()
            .enumerate()
            .map(|(i, v)| {
                json!({"active": true, "defaultValue": i == 0 && self.required,
                       "label": v, "validFor": null, "value": v})
            })
            .collect();
        json!({
            "name": self.name, "label": self.label, "type": self.kind.name(),
            "soapType": self.kind.soap_type(), "length": length, "custom": self.custom,
            "nillable": self.nillable(), "createable": self.createable, "updateable": self.updateable,
            "externalId": self.external_id, "idLookup": self.id_lookup, "unique": self.unique,
            "filterable": self.filterable(), "sortable": self.filterable(), "groupable": self.filterable(),
            "calculated": false, "autoNumber": false,
            "defaultedOnCreate": !self.createable || self.kind == FieldType::Boolean,
            "nameField": self.name == "Name", "referenceTo": self.reference_to,
            "relationshipName": self.relationship_name, "picklistValues": picklist,
            "precision": if self.kind.is_number() { 18 } else { 0 },
            "scale": if matches!(self.kind, FieldType::Currency | FieldType::Double) { 2 } else { 0 },
        })
    }
}

fn label_of(name: &str) -> String {
    let base = name.trim_end_matches("__c").replace('_', " ");
    let mut label = String::new();
    let mut prev_lower = false;
    for c in base.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            label.push(' ');
        }
        prev_lower = c.is_ascii_lowercase();
        label.push(c);
    }
    label
}

fn relationship_of(name: &str) -> String {
    match name.strip_suffix("__c") {
        Some(base) => format!("{base}__r"),
        None => name.strip_suffix("Id").unwrap_or(name).to_string(),
    }
}

/// An sObject type.
#[derive(Clone, Debug)]
pub struct ObjectDef {
    pub name: String,
    pub label: String,
    pub label_plural: String,
    pub key_prefix: String,
    pub custom: bool,
    pub fields: Vec<Field>,
    /// Field-level security: hidden fields behave as if they did not exist.
    pub hidden: Vec<bool>,
    by_lower: HashMap<String, usize>,
    rel_by_lower: HashMap<String, usize>,
}

impl ObjectDef {
    fn new(name: &str, key_prefix: &str, fields: Vec<Field>) -> ObjectDef {
        let label = label_of(name);
        let label_plural = match label.strip_suffix('y') {
            Some(stem) if !label.ends_with("ay") => format!("{stem}ies"),
            _ => format!("{label}s"),
        };
        let mut def = ObjectDef {
            name: name.to_string(),
            label,
            label_plural,
            key_prefix: key_prefix.to_string(),
            custom: name.ends_with("__c"),
            hidden: Vec::new(),
            fields: Vec::new(),
            by_lower: HashMap::new(),
            rel_by_lower: HashMap::new(),
        };
        for field in fields {
            def.add_field(field);
        }
        def
    }

    /// Adds (or replaces) a field.
    pub fn add_field(&mut self, field: Field) {
        let key = field.name.to_ascii_lowercase();
        if let Some(&i) = self.by_lower.get(&key) {
            self.fields[i] = field;
            return;
        }
        let i = self.fields.len();
        if let Some(rel) = &field.relationship_name {
            self.rel_by_lower.insert(rel.to_ascii_lowercase(), i);
        }
        self.by_lower.insert(key, i);
        self.fields.push(field);
        self.hidden.push(false);
    }

    /// A visible field by case-insensitive name.
    pub fn field(&self, name: &str) -> Option<(usize, &Field)> {
        let i = *self.by_lower.get(&name.to_ascii_lowercase())?;
        (!self.hidden[i]).then(|| (i, &self.fields[i]))
    }

    /// The visible reference field behind a relationship name (`Account` → `AccountId`).
    pub fn relationship(&self, name: &str) -> Option<(usize, &Field)> {
        let i = *self.rel_by_lower.get(&name.to_ascii_lowercase())?;
        (!self.hidden[i]).then(|| (i, &self.fields[i]))
    }

    /// Indices of the visible fields, in describe order.
    pub fn visible(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.fields.len()).filter(|&i| !self.hidden[i])
    }

    /// Index of a field that every object has (`Id`, `CreatedDate`, ...), hidden or not.
    pub fn system(&self, name: &str) -> Option<usize> {
        self.by_lower.get(&name.to_ascii_lowercase()).copied()
    }

    /// The `urls` block of describe results.
    pub fn urls(&self, version: &str) -> Json {
        let base = format!("/services/data/v{version}/sobjects/{}", self.name);
        json!({"sobject": base, "describe": format!("{base}/describe"),
               "rowTemplate": format!("{base}/{{ID}}")})
    }

    /// The short description used by the global describe and `objectDescribe`.
    pub fn summary(&self, version: &str) -> Json {
        json!({
            "name": self.name, "label": self.label, "labelPlural": self.label_plural,
            "keyPrefix": self.key_prefix, "custom": self.custom, "createable": true,
            "updateable": true, "deletable": true, "queryable": true, "searchable": true,
            "retrieveable": true, "layoutable": true, "urls": self.urls(version),
        })
    }

    /// The full describe result; `children` lists `(child object, field)` references to this one.
    pub fn describe(&self, version: &str, children: &[(String, String, Option<String>)]) -> Json {
        let mut out = self.summary(version);
        let fields: Vec<Json> = self.visible().map(|i| self.fields[i].describe()).collect();
        let relationships: Vec<Json> = children
            .iter()
            .map(|(child, field, rel)| {
                json!({"childSObject": child, "field": field, "relationshipName": rel,
                       "cascadeDelete": false})
            })
            .collect();
        if let Json::Object(map) = &mut out {
            map.insert("fields".into(), Json::Array(fields));
            map.insert("childRelationships".into(), Json::Array(relationships));
            map.insert("recordTypeInfos".into(), json!([]));
        }
        out
    }
}

const AUDIT: &[&str] = &[
    "Id;id;ro",
    "IsDeleted;boolean;ro",
    "CreatedDate;datetime;ro",
    "CreatedById;reference;ro;ref=User",
    "LastModifiedDate;datetime;ro",
    "LastModifiedById;reference;ro;ref=User",
    "SystemModstamp;datetime;ro",
];
const OWNER: &str = "OwnerId;reference;ref=User";

/// Standard objects: name, key prefix, owned, fields.
const STANDARD: &[(&str, &str, bool, &[&str])] = &[
    (
        "Account",
        "001",
        true,
        &[
            "Name;string;req",
            "AccountNumber;string",
            "Type;picklist;pick=Prospect|Customer - Direct|Customer - Channel|Partner|Other",
            "ParentId;reference;ref=Account",
            "Industry;picklist;pick=Agriculture|Banking|Energy|Retail|Technology|Other",
            "AnnualRevenue;currency",
            "NumberOfEmployees;int",
            "Phone;phone",
            "Fax;phone",
            "Website;url",
            "Rating;picklist;pick=Hot|Warm|Cold",
            "AccountSource;picklist;pick=Web|Phone Inquiry|Partner Referral|Other",
            "BillingStreet;textarea",
            "BillingCity;string",
            "BillingState;string",
            "BillingPostalCode;string",
            "BillingCountry;string",
            "ShippingCity;string",
            "ShippingCountry;string",
            "ShippingStreet;textarea",
            "ShippingState;string",
            "ShippingPostalCode;string",
            "SicDesc;string",
            "Jigsaw;string",
            "RecordTypeId;reference;ref=RecordType",
            "Sic;string",
            "Description;textarea",
            "External_Id__c;string;ext;uniq",
            "Region__c;picklist;pick=AMER|EMEA|APAC",
            "Score__c;double",
        ],
    ),
    (
        "Contact",
        "003",
        true,
        &[
            "AccountId;reference;ref=Account",
            "Salutation;picklist;pick=Mr.|Ms.|Mrs.|Dr.",
            "FirstName;string",
            "MiddleName;string",
            "LastName;string;req",
            "Suffix;string",
            "Name;string;ro",
            "Title;string",
            "Department;string",
            "Email;email",
            "Phone;phone",
            "MobilePhone;phone",
            "Fax;phone",
            "Birthdate;date",
            "LeadSource;picklist;pick=Web|Phone Inquiry|Partner Referral|Other",
            "MailingStreet;textarea",
            "MailingCity;string",
            "MailingState;string",
            "MailingPostalCode;string",
            "MailingCountry;string",
            "OtherStreet;textarea",
            "OtherCity;string",
            "OtherState;string",
            "OtherPostalCode;string",
            "OtherCountry;string",
            "OtherPhone;phone",
            "HomePhone;phone",
            "AssistantName;string",
            "AssistantPhone;phone",
            "EmailBouncedReason;string",
            "EmailBouncedDate;datetime",
            "GenderIdentity;picklist;pick=Male|Female|Nonbinary|Not Listed",
            "Pronouns;picklist;pick=He/Him|She/Her|They/Them|He/They|She/They|Not Listed",
            "Jigsaw;string",
            "RecordTypeId;reference;ref=RecordType",
            "HasOptedOutOfEmail;boolean",
            "Description;textarea",
            "External_Id__c;string;ext;uniq",
        ],
    ),
    (
        "Lead",
        "00Q",
        true,
        &[
            "Salutation;picklist;pick=Mr.|Ms.|Mrs.|Dr.",
            "FirstName;string",
            "LastName;string;req",
            "Name;string;ro",
            "Company;string;req",
            "Title;string",
            "Email;email",
            "Phone;phone",
            "MobilePhone;phone",
            "Fax;phone",
            "Website;url",
            "Status;picklist;pick=Open - Not Contacted|Working - Contacted|Closed - Converted|Closed - Not Converted",
            "LeadSource;picklist;pick=Web|Phone Inquiry|Partner Referral|Other",
            "Industry;picklist;pick=Agriculture|Banking|Energy|Retail|Technology|Other",
            "Rating;picklist;pick=Hot|Warm|Cold",
            "AnnualRevenue;currency",
            "NumberOfEmployees;int",
            "Street;textarea",
            "City;string",
            "State;string",
            "PostalCode;string",
            "Country;string",
            "IsConverted;boolean;ro",
            "IsUnreadByOwner;boolean",
            "HasOptedOutOfFax;boolean",
            "Jigsaw;string",
            "RecordTypeId;reference;ref=RecordType",
            "HasOptedOutOfEmail;boolean",
            "Description;textarea",
            "External_Id__c;string;ext;uniq",
        ],
    ),
    (
        "Opportunity",
        "006",
        true,
        &[
            "Name;string;req",
            "AccountId;reference;ref=Account",
            "Amount;currency",
            "CloseDate;date;req",
            "StageName;picklist;req;pick=Prospecting|Qualification|Needs Analysis|Proposal|Negotiation|Closed Won|Closed Lost",
            "Probability;percent",
            "Type;picklist;pick=New Customer|Existing Customer - Upgrade|Existing Customer - Replacement",
            "LeadSource;picklist;pick=Web|Phone Inquiry|Partner Referral|Other",
            "NextStep;string",
            "ForecastCategoryName;picklist;pick=Omitted|Pipeline|Best Case|Commit|Closed",
            "CampaignId;reference;ref=Campaign",
            "Pricebook2Id;reference;ref=Pricebook2",
            "IsClosed;boolean;ro",
            "IsWon;boolean;ro",
            "Description;textarea",
            "External_Id__c;string;ext;uniq",
        ],
    ),
    (
        "Case",
        "500",
        true,
        &[
            "CaseNumber;string;ro",
            "AccountId;reference;ref=Account",
            "ContactId;reference;ref=Contact",
            "Subject;string",
            "Status;picklist;pick=New|Working|Escalated|Closed",
            "Priority;picklist;pick=High|Medium|Low",
            "Origin;picklist;pick=Phone|Email|Web",
            "Type;picklist;pick=Question|Problem|Feature Request",
            "Reason;picklist;pick=Installation|Equipment Complexity|Performance|Other",
            "IsClosed;boolean;ro",
            "SuppliedName;string",
            "SuppliedEmail;email",
            "SuppliedPhone;phone",
            "SuppliedCompany;string",
            "IsEscalated;boolean",
            "ParentId;reference;ref=Case",
            "RecordTypeId;reference;ref=RecordType",
            "Description;textarea",
        ],
    ),
    (
        "Task",
        "00T",
        true,
        &[
            "WhoId;reference;ref=Contact|Lead",
            "WhatId;reference;ref=Account|Opportunity|Case|Campaign",
            "Subject;string",
            "ActivityDate;date",
            "Status;picklist;pick=Not Started|In Progress|Completed|Waiting on someone else|Deferred",
            "Priority;picklist;pick=High|Normal|Low",
            "Type;picklist;pick=Call|Email|Meeting|Other",
            "IsClosed;boolean;ro",
            "CallDurationInSeconds;int",
            "CallType;picklist;pick=Internal|Inbound|Outbound",
            "CallDisposition;string",
            "CallObject;string",
            "TaskSubtype;picklist;pick=Task|Email|ListEmail|Cadence|Call|LinkedIn",
            "IsReminderSet;boolean",
            "ReminderDateTime;datetime",
            "RecurrenceType;picklist;pick=RecursDaily|RecursEveryWeekday|RecursMonthly|RecursMonthlyNth|RecursWeekly|RecursYearly|RecursYearlyNth",
            "RecurrenceInterval;int",
            "RecurrenceDayOfWeekMask;int",
            "RecurrenceDayOfMonth;int",
            "RecurrenceInstance;picklist;pick=First|Second|Third|Fourth|Last",
            "RecurrenceMonthOfYear;picklist;pick=January|February|March|April|May|June|July|August|September|October|November|December",
            "RecurrenceStartDateOnly;date",
            "RecurrenceEndDateOnly;date",
            "RecurrenceTimeZoneSidKey;picklist;pick=America/Los_Angeles|Europe/London|GMT",
            "RecurrenceRegeneratedType;picklist;pick=RecurrenceRegenerateAfterDueDate|RecurrenceRegenerateAfterToday|RecurrenceRegenerated",
            "Description;textarea",
        ],
    ),
    (
        "User",
        "005",
        false,
        &[
            "Username;string;req;lookup;uniq",
            "FirstName;string",
            "LastName;string;req",
            "Name;string;ro",
            "Email;email;req",
            "Alias;string;req",
            "IsActive;boolean",
            "Title;string",
            "Department;string",
            "CompanyName;string",
            "Phone;phone",
            "TimeZoneSidKey;picklist;pick=America/Los_Angeles|Europe/London|GMT",
            "LocaleSidKey;picklist;pick=en_US|en_GB",
            "UserType;picklist;ro;pick=Standard|AutomatedProcess",
        ],
    ),
    (
        "Attachment",
        "00P",
        true,
        &[
            "Name;string;req",
            "ParentId;reference;req;noupd;rel=Parent;ref=Account|Contact|Lead|Opportunity|Case|Task",
            "Body;base64;req",
            "ContentType;string",
            "BodyLength;int;ro",
            "IsPrivate;boolean",
            "Description;textarea",
        ],
    ),
    (
        "Note",
        "002",
        true,
        &[
            "Title;string;req",
            "ParentId;reference;req;noupd;rel=Parent;ref=Account|Contact|Lead|Opportunity|Case",
            "Body;textarea",
            "IsPrivate;boolean",
        ],
    ),
    (
        "CaseComment",
        "00a",
        false,
        &[
            "ParentId;reference;req;noupd;rel=Parent;ref=Case",
            "CommentBody;textarea",
            "IsPublished;boolean",
        ],
    ),
    (
        "Campaign",
        "701",
        true,
        &[
            "Name;string;req",
            "Type;picklist;pick=Conference|Webinar|Email|Other",
            "Status;picklist;pick=Planned|In Progress|Completed|Aborted",
            "StartDate;date",
            "EndDate;date",
            "IsActive;boolean",
            "BudgetedCost;currency",
            "ParentId;reference;ref=Campaign",
            "Description;textarea",
        ],
    ),
    (
        "CampaignMember",
        "00v",
        false,
        &[
            "CampaignId;reference;req;noupd;ref=Campaign",
            "LeadId;reference;noupd;ref=Lead",
            "ContactId;reference;noupd;ref=Contact",
            "Status;picklist;pick=Sent|Planned|Responded",
            "HasResponded;boolean;ro",
        ],
    ),
    (
        "ContentVersion",
        "068",
        true,
        &[
            "Title;string",
            "PathOnClient;string;req;noupd",
            "VersionData;base64;req;noupd",
            "ContentLocation;picklist;noupd;pick=S|E|L",
            "ContentDocumentId;reference;ro;ref=ContentDocument",
            "FirstPublishLocationId;reference;noupd;ref=Account|Contact|Lead|Opportunity|Case|User",
            "Description;textarea",
            "FileExtension;string;ro",
            "ContentSize;int;ro",
            "VersionNumber;string;ro",
            "IsLatest;boolean;ro",
        ],
    ),
    (
        "ContentDocument",
        "069",
        true,
        &[
            "Title;string",
            "FileExtension;string;ro",
            "ContentSize;int;ro",
            "LatestPublishedVersionId;reference;ro;ref=ContentVersion",
        ],
    ),
    (
        "RecordType",
        "012",
        false,
        &[
            "Name;string;req",
            "DeveloperName;string;req",
            "SobjectType;string;req",
            "IsActive;boolean",
            "Description;string",
        ],
    ),
];

/// Fields of a custom object that no configuration declared.
const CUSTOM: &[&str] = &[
    "Name;string",
    "External_Id__c;string;ext;uniq",
    "Amount__c;currency",
    "Status__c;picklist;pick=Draft|Sent|Paid|Void",
    "Account__c;reference;ref=Account",
    "Due_Date__c;date",
    "Paid__c;boolean",
    "Notes__c;textarea",
    "RecordTypeId;reference;ref=RecordType",
];

fn build(name: &str, prefix: &str, owned: bool, specs: &[&str]) -> ObjectDef {
    let parse = |s: &&str| Field::parse(s).expect("built-in field specs are valid");
    let mut fields: Vec<Field> = AUDIT[..2].iter().map(parse).collect();
    if owned {
        fields.push(parse(&OWNER));
    }
    fields.extend(specs.iter().map(parse));
    fields.extend(AUDIT[2..].iter().map(parse));
    ObjectDef::new(name, prefix, fields)
}

/// The standard objects, in a stable order.
pub fn standard_objects() -> Vec<ObjectDef> {
    STANDARD
        .iter()
        .map(|(name, prefix, owned, fields)| build(name, prefix, *owned, fields))
        .collect()
}

/// A generic custom object `name` (which ends in `__c`) with the given key prefix.
pub fn custom_object(name: &str, prefix: &str) -> ObjectDef {
    build(name, prefix, true, CUSTOM)
}

/// Whether `name` can name a custom object.
pub fn is_custom_name(name: &str) -> bool {
    name.len() > 3
        && name.ends_with("__c")
        && name.as_bytes()[0].is_ascii_alphabetic()
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;
    use weft_nodes::description::ParameterKind;
    use weft_nodes::salesforce::description::collection_options;
    use weft_nodes::salesforce::fields::{Mode, Resource, map_fields};

    #[test]
    fn specs_parse_and_names_are_case_insensitive() {
        let objects = standard_objects();
        let contact = objects.iter().find(|o| o.name == "Contact").unwrap();
        let (_, account_id) = contact.field("accountid").unwrap();
        assert_eq!(account_id.relationship_name.as_deref(), Some("Account"));
        assert_eq!(contact.relationship("ACCOUNT").unwrap().1.name, "AccountId");
        assert_eq!(contact.label_plural, "Contacts");
        let opp = objects.iter().find(|o| o.name == "Opportunity").unwrap();
        assert_eq!(opp.label_plural, "Opportunities");
        assert!(Field::parse("Bad;nosuchtype").is_err());
        assert_eq!(label_of("Due_Date__c"), "Due Date");
        assert_eq!(relationship_of("Account__c"), "Account__r");
    }

    #[test]
    fn every_field_the_node_can_send_is_in_the_describe_of_its_object() {
        let objects = standard_objects();
        let invoice = custom_object("Invoice__c", "a01");
        let resources = [
            ("account", Resource::Account, "Account"),
            ("attachment", Resource::Attachment, "Attachment"),
            ("case", Resource::Case, "Case"),
            ("contact", Resource::Contact, "Contact"),
            ("customObject", Resource::CustomObject, "Invoice__c"),
            ("lead", Resource::Lead, "Lead"),
            ("opportunity", Resource::Opportunity, "Opportunity"),
            ("task", Resource::Task, "Task"),
        ];
        let mut missing = Vec::new();
        for (name, resource, object) in resources {
            let def = objects
                .iter()
                .find(|def| def.name == object)
                .unwrap_or(&invoice);
            for (mode, operation, collection) in [
                (Mode::Create, "create", "additionalFields"),
                (Mode::Update, "update", "updateFields"),
            ] {
                // customFieldsUi names fields of the user's choosing; every other option maps to
                // a standard field (or to nothing, reported by map_fields).
                let options = collection_options(name, operation, collection, 1.1)
                    .unwrap_or_else(|| panic!("{name} {operation} declares {collection}"))
                    .iter()
                    .filter(|option| !matches!(option.kind, ParameterKind::FixedCollection { .. }));
                for option in options {
                    let mut body = Map::new();
                    let one = Map::from_iter([(option.name.to_owned(), json!("x"))]);
                    map_fields(resource, mode, &one, &mut body);
                    for field in body.keys() {
                        let writable = def.field(field).is_some_and(|(_, field)| match mode {
                            Mode::Create => field.createable,
                            Mode::Update => field.updateable,
                        });
                        if !writable {
                            missing.push(format!(
                                "{object}.{field} ({name} {collection}.{})",
                                option.name
                            ));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not writable in the fake: {missing:#?}");
    }
}
